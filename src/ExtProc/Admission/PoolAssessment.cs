using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Catalogue;

namespace AiSidecar.ExtProc.Admission;

/// <summary>
/// Judges one pool for one request from its samples (docs/admission.md, "The model"): a pool without <c>engine</c> or
/// <c>gpus</c> is not monitored and always has headroom; else, in order — every watched GPU unhealthy, or every freshly
/// scraped endpoint down, makes it unavailable; a source with no fresh sample makes it stale (saturated or headroom by
/// its <c>staleTelemetry</c>); else it has headroom when the live endpoints' average queue is below
/// <c>maxWaitingPerEndpoint</c> and their average KV-cache use, with the request's demand added where the capacity is
/// known, stays at or below <c>maxKvUsage</c>.
/// </summary>
internal static class PoolAssessment
{
    public static PoolVerdict Assess(PoolOptions pool, PoolSamples samples, long demandTokens, TimeSpan staleAfter, DateTimeOffset now)
    {
        if (pool.Engine is null && pool.Gpus is null)
        {
            return new PoolVerdict(pool.Name, PoolFit.Headroom, "unmonitored");
        }

        var limits = pool.Admission;
        var stale = false;
        TimeSpan? oldest = null;
        int? healthyGpus = null, gpus = null;
        if (pool.Gpus is not null)
        {
            var gpu = samples.Gpus;
            var age = gpu?.OldestUpdate is { } at ? now - at : (TimeSpan?)null;
            if (gpu is null || gpu.Matched == 0 || age is null || age > staleAfter)
            {
                stale = true;
            }
            else
            {
                (healthyGpus, gpus, oldest) = (gpu.Healthy, gpu.Matched, age);
                if (gpu.Healthy == 0)
                {
                    return new PoolVerdict(pool.Name, PoolFit.Unavailable, "gpu_unhealthy", HealthyGpus: 0, Gpus: gpu.Matched, TelemetryAge: age);
                }
            }
        }

        var live = default(LiveFigures);
        if (pool.Engine is not null)
        {
            var fresh = 0;
            foreach (var endpoint in samples.Endpoints ?? [])
            {
                if (endpoint.ScrapedAt is not { } at || now - at > staleAfter)
                {
                    continue;
                }

                fresh++;
                oldest = Max(oldest, now - at);
                if (endpoint.Up)
                {
                    live.Add(endpoint, limits.KvCacheTokens);
                }
            }

            if (fresh == 0)
            {
                stale = true;
            }
            else if (live.Count == 0)
            {
                return new PoolVerdict(pool.Name, PoolFit.Unavailable, "endpoints_down", HealthyGpus: healthyGpus, Gpus: gpus, TelemetryAge: oldest);
            }
        }

        if (stale)
        {
            var fit = limits.StaleTelemetry == StaleTelemetryPolicy.Healthy ? PoolFit.Headroom : PoolFit.Saturated;
            return new PoolVerdict(pool.Name, fit, "stale_telemetry", LiveEndpoints: live.Count, HealthyGpus: healthyGpus, Gpus: gpus, TelemetryAge: oldest);
        }

        if (live.Count == 0)
        {
            // Only GPUs are watched, and enough of them are healthy.
            return new PoolVerdict(pool.Name, PoolFit.Headroom, "headroom", HealthyGpus: healthyGpus, Gpus: gpus, TelemetryAge: oldest);
        }

        var waiting = live.Waiting.Value;
        var kv = live.KvUsage.Value;
        var capacity = live.Capacity.Value;
        double? withDemand = kv is { } used ? used + (capacity is > 0 ? demandTokens / capacity.Value : 0) : null;

        // At the queue limit = full; the KV limit may be reached exactly.
        var queueLoad = waiting / limits.MaxWaitingPerEndpoint;
        var kvLoad = withDemand / limits.MaxKvUsage;
        var queueFull = queueLoad >= 1;
        var kvFull = kvLoad > 1;
        var load = Max(queueLoad, kvLoad);
        var reason = !queueFull && !kvFull ? "headroom" : kvFull && (!queueFull || kvLoad >= queueLoad) ? "kv_cache" : "queue";
        return new PoolVerdict(pool.Name, queueFull || kvFull ? PoolFit.Saturated : PoolFit.Headroom, reason, load, live.Count,
            waiting, live.Running.Value, kv, withDemand, healthyGpus, gpus, oldest);
    }

    private static T? Max<T>(T? a, T? b)
        where T : struct, IComparable<T> => a is null ? b : b is null ? a : a.Value.CompareTo(b.Value) >= 0 ? a : b;

    /// <summary>A mean over the endpoints that report a value (finite ones only).</summary>
    private struct Mean
    {
        private double _sum;
        private int _count;

        public readonly double? Value => _count == 0 ? null : _sum / _count;

        public void Add(double? value)
        {
            if (value is { } v && double.IsFinite(v))
            {
                _sum += v;
                _count++;
            }
        }
    }

    /// <summary>The live endpoints' figures, gathered in one pass without allocating.</summary>
    private struct LiveFigures
    {
        public int Count;
        public Mean Waiting;
        public Mean Running;
        public Mean KvUsage;
        public Mean Capacity;

        public void Add(EndpointLoad endpoint, long poolKvCacheTokens)
        {
            Count++;
            Waiting.Add(endpoint.Waiting);
            Running.Add(endpoint.Running);
            KvUsage.Add(endpoint.KvUsage);
            Capacity.Add(endpoint.KvCapacityTokens ?? (poolKvCacheTokens > 0 ? poolKvCacheTokens : null));
        }
    }
}
