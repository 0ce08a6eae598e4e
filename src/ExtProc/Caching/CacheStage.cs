using System.Globalization;
using System.Text.Json;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Redis;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// The response cache (order 450: after select and rewrite, so the version and served name are known; before count,
/// so a hit costs no tokenization, and before budgets and admission, so it costs no tokens and no pool capacity). A
/// cacheable request (<see cref="CacheKey"/>) is looked up in Redis: a hit is answered here (JSON, or replayed as SSE
/// for a streamed request) with <c>x-ai-cache: hit</c>; a miss goes on marked for a write
/// (<see cref="Exchange.CacheWrite"/>), which <see cref="CacheResponseStage"/> stores from a complete 200 response.
/// Redis down or slow: the request goes on uncached, counted.
/// </summary>
internal sealed class CacheStage(IOptions<CacheOptions> options, CacheStore store, CacheWriter writer, ExtProcMetrics metrics, TimeProvider time,
    ILogger<CacheStage> logger)
    : IRequestStage
{
    /// <summary>The response header saying whether the answer came from the cache: <c>hit</c> or <c>miss</c>.</summary>
    public const string Header = "x-ai-cache";

    private readonly CacheOptions _options = options.Value;

    public int Order => StageOrder.Cache;

    public string Name => "cache";

    public async ValueTask<StageResult> ProcessAsync(Exchange exchange)
    {
        if (!_options.Enabled || exchange.Synthetic || exchange.Observed || exchange.Request is null || !CacheKey.Caches(exchange.Api))
        {
            return StageResult.Continue;
        }

        var model = exchange.Model?.Name ?? "";
        var rule = _options.RuleFor(model);
        var headers = CacheRequestHeaders.Read(exchange.Head.Captured, _options.CacheableHeader);
        if (!rule.Enabled || !CacheKey.TryCreate(exchange.Body, exchange, headers.Marked, store.KeyPrefix, out var key, out var includeUsage))
        {
            return StageResult.Continue;
        }

        if (headers.NoStore || headers.NoCache)
        {
            metrics.CacheLookup(model, "bypass");
            exchange.CacheWrite = headers.NoStore ? null : new CacheWrite(key, model, rule, writer);
            return StageResult.Continue;
        }

        CacheEntry? entry;
        try
        {
            entry = await store.GetAsync(key, TimeSpan.FromSeconds(rule.TtlSeconds)).ConfigureAwait(false);
        }
        catch (RedisUnavailableException ex)
        {
            CacheLog.LookupFailed(logger, model, ex.Message);
            metrics.CacheLookup(model, "unavailable");
            return StageResult.Continue;
        }

        ReadOnlyMemory<byte>? replay = null;
        try
        {
            replay = entry is not null && exchange.Request.Stream ? CacheReplay.ToSse(entry.Body, includeUsage) : null;
        }
        catch (JsonException)
        {
            // Not an entry this server wrote (something else wrote under its key): a miss, overwritten by the response.
            entry = null;
        }

        if (entry is null)
        {
            metrics.CacheLookup(model, "miss");
            exchange.CacheWrite = new CacheWrite(key, model, rule, writer);
            return StageResult.Continue;
        }

        var age = Math.Max(0, (long)(time.GetUtcNow() - entry.StoredAt).TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var body = replay ?? entry.Body;
        metrics.CacheLookup(model, "hit", body.Length, entry.Local);
        return StageResult.Respond(new LocalResponse(200, "cache_hit", body,
            [new("content-type", replay is null ? "application/json" : "text/event-stream"), new(Header, "hit"), new("age", age)]));
    }
}
