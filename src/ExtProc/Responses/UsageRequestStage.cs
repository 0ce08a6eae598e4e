using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Responses;

/// <summary>
/// Usage (order 750, after admission: the pool and the body are final). Marks the exchange's response to be read for
/// usage (<see cref="Exchange.Usage"/>) and, for a streamed chat or completions request of a model with
/// <c>usage.injectIncludeUsage</c> (or one the cache will store: an entry needs its usage), sets
/// <c>stream_options.include_usage: true</c> in the body; when the client had not asked for it, the usage chunk is
/// then removed from the stream the client sees.
/// </summary>
internal sealed class UsageRequestStage(UsageRecorder recorder) : IRequestStage
{
    public int Order => StageOrder.Usage;

    public string Name => "usage";

    public ValueTask<StageResult> ProcessAsync(Exchange exchange)
    {
        if (!recorder.Enabled || exchange.Synthetic || exchange.Request is not { } request)
        {
            return ValueTask.FromResult(StageResult.Continue);
        }

        var inject = false;
        if (request.Stream && (exchange.Model is { InjectIncludeUsage: true } || exchange.CacheWrite is not null) && !exchange.Observed
            && request.Kind is ApiKind.ChatCompletions or ApiKind.Completions)
        {
            var body = exchange.ReplacementBody ?? exchange.Body;
            try
            {
                if (!IncludeUsage.Requested(body.Span))
                {
                    exchange.ReplacementBody = IncludeUsage.Inject(body.Span);
                    inject = true;
                }
            }
            catch (InvalidOperationException)
            {
                // A member name escaping an unpaired surrogate cannot be compared: the body goes as it is.
            }
        }

        // responses.dynamicMetadataNamespace: the decision's token counts go to Envoy with the reply that carries it.
        if (recorder.MetadataNamespace.Length > 0 && exchange.Decision is { } decision)
        {
            exchange.SetMetadata(recorder.MetadataNamespace, TokenMetadata.Decided(exchange, decision));
        }

        exchange.Usage = new ResponseUsage(recorder, exchange.UpstreamRequest?.Kind ?? request.Kind, exchange.Model?.Name ?? "",
            ProviderOf(exchange), request.Stream, removeUsageChunk: inject);
        return ValueTask.FromResult(StageResult.Continue);
    }

    /// <summary>The pool's model server kind, <c>vllm</c> when the pool names none.</summary>
    private static string ProviderOf(Exchange exchange) =>
        (exchange.Decision is { } decision ? exchange.Table.Catalog.Pools.GetValueOrDefault(decision.Pool)?.Engine?.Kind : null) switch
        {
            EngineKind.Sglang => "sglang",
            EngineKind.Tgi => "tgi",
            EngineKind.Trtllm => "trtllm",
            _ => "vllm",
        };
}
