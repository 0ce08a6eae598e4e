using System.Diagnostics.Metrics;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>The response cache's instruments (docs/cache-and-budgets.md, "Metrics").</summary>
internal sealed partial class ExtProcMetrics
{
    /// <summary>
    /// A cacheable request was looked up: hit (<paramref name="bytes"/> served; <paramref name="local"/> when from the
    /// replica's own copy), miss, bypass (<c>cache-control</c>) or unavailable (Redis).
    /// </summary>
    public void CacheLookup(string model, string result, long bytes = 0, bool local = false)
    {
        var modelTag = new KeyValuePair<string, object?>("model", model);
        _cache.Lookups.Add(1, modelTag, new("result", result));
        if (bytes > 0)
        {
            _cache.Bytes.Add(bytes, modelTag, new("direction", "served"));
        }

        if (local)
        {
            _cache.LocalHits.Add(1, modelTag);
        }
    }

    /// <summary>A missed request's response reached its end: stored (<paramref name="bytes"/>), or why not.</summary>
    public void CacheWrite(string model, string result, long bytes = 0)
    {
        var modelTag = new KeyValuePair<string, object?>("model", model);
        _cache.Writes.Add(1, modelTag, new("result", result));
        if (bytes > 0)
        {
            _cache.Bytes.Add(bytes, modelTag, new("direction", "stored"));
        }
    }

    private sealed class CacheInstruments(Meter meter)
    {
        public Counter<long> Lookups { get; } = meter.CreateCounter<long>("extproc.cache.lookups", "{request}",
            "Cacheable requests looked up in the response cache, by model and result: hit, miss, bypass (cache-control) or unavailable (Redis failed or slow).");

        public Counter<long> Writes { get; } = meter.CreateCounter<long>("extproc.cache.writes", "{response}",
            "Responses to missed requests, by model and result: stored, or not_ok, no_store, unsupported, too_large, incomplete, unavailable.");

        public Counter<long> LocalHits { get; } = meter.CreateCounter<long>("extproc.cache.local_hits", "{request}",
            "Cache hits answered from the replica's local copy without asking Redis (a part of the hits), by model.");

        public Counter<long> Bytes { get; } = meter.CreateCounter<long>("extproc.cache.bytes", "By",
            "Bytes of cached response bodies, by model and direction: served (hits) or stored.");
    }
}
