using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Telemetry;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// Counts the prompt tokens the chosen server will read, with the version's tokenizer, else the model's, else the
/// default: <see cref="Exchange.PromptTokens"/> (an upper bound, flagged in <see cref="Exchange.PromptTokensExact"/>,
/// when a pre-token was too long to merge), or 503 when that tokenizer failed and the config refuses fallbacks.
/// <para/>A large body is counted under the exchange's hold cancellation: counting stops when the hold's deadline
/// passes or the stream ends, and the pipeline answers the overrun (504) or drops the exchange.
/// </summary>
internal sealed class CountStage(ExtProcMetrics metrics) : IRequestStage
{
    /// <summary>Bodies smaller than this are counted in well under a millisecond, without a cancellation timer.</summary>
    internal const int CancellableBodyBytes = 64 * 1024;

    public int Order => StageOrder.Count;

    public string Name => "count";

    public ValueTask<StageResult> ProcessAsync(Exchange exchange)
    {
        var tokenizer = exchange.Choice?.Version.Tokenizer ?? exchange.Model?.Tokenizer ?? exchange.Table.Catalog.DefaultTokenizer;
        var span = ExtProcTelemetry.StartStage(exchange, "extproc.count");
        try
        {
            var counter = tokenizer.Resolve();
            var cancellation = exchange.Body.Length >= CancellableBodyBytes ? exchange.HoldCancellation : CancellationToken.None;
            var count = counter.Count(exchange.UpstreamRequest ?? exchange.Request!, cancellation);
            exchange.PromptTokens = count.Tokens;
            exchange.PromptTokensExact = count.Exact;
            ExtProcTelemetry.Counted(span, count.Tokens, count.Exact, counter.Tokenizer.Name);
            if (!count.Exact)
            {
                metrics.TokenizerUpperBound(counter.Tokenizer.Name);
            }

            return ValueTask.FromResult(StageResult.Continue);
        }
        catch (TokenizerUnavailableException)
        {
            return ValueTask.FromResult(StageResult.Reject(ApiErrors.TokenizerUnavailable()));
        }
    }
}
