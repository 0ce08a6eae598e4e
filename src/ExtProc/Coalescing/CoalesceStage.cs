using AiSidecar.ExtProc.Coalescing.Codecs;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tokenization;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Coalescing;

/// <summary>
/// Coalescing (order 800, after admission: the pool and the upstream body are final). A request of a model that
/// coalesces this API joins a batch of compatible requests (same pool, path, output-deciding parameters, tenant), which
/// the server sends to the pool's upstream itself; the request is then answered locally with its own slice of the
/// batch's answer (200, <c>x-ai-coalesced: N</c>), or its own error. Anything that cannot or should not be held passes
/// on to Envoy unchanged, counted with its reason. Never an observed request (its headers went upstream already: an
/// answer in the upstream's place would cut a request the engine has started). docs/coalescing.md.
/// </summary>
internal sealed class CoalesceStage(
    Coalescer coalescer,
    CoalesceCodecs codecs,
    IOptions<CoalescingOptions> options,
    IOptions<TokenizationOptions> tokenization,
    ExtProcMetrics metrics,
    TimeProvider time) : IRequestStage
{
    /// <summary>The header on a coalesced answer: how many requests its batch held.</summary>
    public const string CoalescedHeader = "x-ai-coalesced";

    private readonly int _maxBodyBytes = options.Value.MaxBodyBytes;
    private readonly int _maxMergeBytes = tokenization.Value.MaxMergeBytes;

    public int Order => StageOrder.Coalesce;

    public string Name => "coalesce";

    public ValueTask<StageResult> ProcessAsync(Exchange exchange)
    {
        if (exchange.Synthetic || exchange.Observed || exchange.ConvertToChat || exchange.Model is not { } model || exchange.Request is not { } request
            || !model.CoalesceApis.Contains(request.Kind) || exchange.Decision is not { } decision)
        {
            return ValueTask.FromResult(StageResult.Continue);
        }

        var pool = decision.Pool;
        if (exchange.Table.Catalog.Pools.GetValueOrDefault(pool)?.Upstream is not { } upstream)
        {
            return Skip(pool, "no_upstream");
        }

        var body = exchange.ReplacementBody ?? exchange.Body;
        if (body.Length > _maxBodyBytes)
        {
            return Skip(pool, "body_too_large");
        }

        if (!codecs.TryGet(request.Kind, out var codec))
        {
            return ValueTask.FromResult(StageResult.Continue);
        }

        if (!codec.TryRead(body, out var member, out var reason))
        {
            return Skip(pool, reason);
        }

        var tokenizer = exchange.Choice?.Version.Tokenizer ?? model.Tokenizer;
        member.Tokens = UsageWeight(exchange.PromptTokens ?? 0, request, member.Items, tokenizer);
        var path = PathOf(request.Kind, exchange.Head.Path);
        var join = new CoalesceRequest(pool, upstream, path, $"{path}\n{TenantOf(exchange)}\n{member.Key}", codec, member,
            model.CoalesceMaxWait, exchange.Remaining, request.Kind == ApiKind.Completions ? CompletionCounter(tokenizer) : null);
        return JoinAsync(exchange, join);
    }

    private async ValueTask<StageResult> JoinAsync(Exchange exchange, CoalesceRequest join)
    {
        var span = ExtProcTelemetry.StartStage(exchange, "extproc.coalesce");
        var result = await coalescer.JoinAsync(join, exchange.HoldCancellation).ConfigureAwait(false);
        metrics.CoalesceRequest(join.Pool, result.Outcome, result.Reason);
        ExtProcTelemetry.Coalesced(span, join.Pool, result.Outcome, result.BatchSize, result.Reason);
        if (result.Outcome == CoalesceOutcome.Answered)
        {
            // A coalesced answer is the server's own: its usage is in the body built here, and a cache miss stores it.
            exchange.Usage?.Answered(exchange, result.Body, time.GetTimestamp());
            if (exchange.CacheWrite is { } cache)
            {
                await cache.StoreAnsweredAsync(result.Body).ConfigureAwait(false);
            }
        }

        return result.Outcome switch
        {
            // A budgeted request's rate-limit headers and a cache miss's header: no response stage sees a local answer.
            CoalesceOutcome.Answered => StageResult.Respond(LocalResponse.Json(200, "coalesced", result.Body,
                [new(CoalescedHeader, result.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. exchange.Budget?.Headers ?? [],
                 .. exchange.CacheWrite is null ? [] : Caching.CacheWrite.Headers])),
            CoalesceOutcome.Failed => StageResult.Reject(result.Error!),
            _ => StageResult.Continue,
        };
    }

    private ValueTask<StageResult> Skip(string pool, string reason)
    {
        metrics.CoalesceRequest(pool, CoalesceOutcome.PassThrough, reason);
        return ValueTask.FromResult(StageResult.Continue);
    }

    /// <summary>
    /// The member's share of the batch's usage: its prompt tokens, and for rerank the query once more per document
    /// beyond the first (a cross-encoder reads the query with each document; the count has it once).
    /// </summary>
    private long UsageWeight(int promptTokens, InferenceRequest request, int items, TokenizerHandle tokenizer) =>
        request.Kind == ApiKind.Rerank && items > 1 && request.Texts.Count > 0
            ? promptTokens + ((long)(items - 1) * tokenizer.Resolve().Tokenizer.CountTokens(request.Texts[0], new CountBudget(_maxMergeBytes, CancellationToken.None)))
            : promptTokens;

    /// <summary>Counts a completion's tokens with the request's tokenizer, each merge run bounded as prompts are.</summary>
    private Func<string, int> CompletionCounter(TokenizerHandle tokenizer)
    {
        var counter = tokenizer.Resolve().Tokenizer;
        var maxMergeBytes = _maxMergeBytes;
        return text => counter.CountTokens(text, new CountBudget(maxMergeBytes, CancellationToken.None));
    }

    /// <summary>The path a batch is sent to: the API's own, and for rerank the spelling the client used.</summary>
    private static string PathOf(ApiKind api, string? path) => api switch
    {
        ApiKind.Embeddings => "/v1/embeddings",
        ApiKind.Completions => "/v1/completions",
        _ => path is not null && InferenceRoutes.Canonical(path.AsSpan(0, EndOfPath(path))).Equals("/rerank", StringComparison.OrdinalIgnoreCase) ? "/rerank" : "/v1/rerank",
    };

    private static int EndOfPath(string path) => path.AsSpan().IndexOfAny('?', '#') is var end and >= 0 ? end : path.Length;

    /// <summary>The tenant's part of the lane: the SHA-256 of the tenant header's value (empty without one).</summary>
    private static string TenantOf(Exchange exchange) => exchange.Head.TenantHash ?? "";
}
