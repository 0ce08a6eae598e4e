using AiSidecar.ExtProc.Telemetry;

namespace AiSidecar.ExtProc.Admission.Engines;

/// <summary>
/// The engine load of every pool, as <see cref="EngineScraper"/> last saw it: an immutable
/// <see cref="EngineLoadSnapshot"/> replaced with one reference write per change, so readers never lock. The pools
/// and endpoints follow the routing table in force (<see cref="Retain"/>): a removed pool's state is dropped, and a
/// scrape that ends after its endpoint was removed is ignored. Logs one line per endpoint going down or coming back.
/// </summary>
internal sealed class EngineLoad(ExtProcMetrics metrics, ILogger<EngineLoad> logger)
{
    private readonly Lock _writer = new();
    private volatile EngineLoadSnapshot _current = EngineLoadSnapshot.Empty;

    public EngineLoadSnapshot Current => _current;

    /// <summary>The pool's endpoints' latest load; null when the pool has no <c>engine</c> (or is not in the catalogue).</summary>
    public PoolEngineState? For(string pool) => _current.For(pool);

    /// <summary>
    /// Makes the pools and endpoints exactly <paramref name="endpoints"/> (pool → metrics URLs): new ones start
    /// pending, kept ones keep their latest scrape, the rest are dropped.
    /// </summary>
    public void Retain(IReadOnlyDictionary<string, IReadOnlyList<string>> endpoints)
    {
        lock (_writer)
        {
            var current = _current;
            var version = current.Version + 1;
            var pools = new Dictionary<string, PoolEngineState>(StringComparer.Ordinal);
            var changed = current.Pools.Count != endpoints.Count;
            foreach (var (pool, urls) in endpoints)
            {
                var old = current.For(pool);
                if (old is not null && old.Endpoints.Select(e => e.Endpoint).SequenceEqual(urls, StringComparer.Ordinal))
                {
                    pools[pool] = old;
                    continue;
                }

                changed = true;
                var previous = old?.Endpoints.ToDictionary(e => e.Endpoint, StringComparer.Ordinal);
                pools[pool] = new PoolEngineState([.. urls.Select(u => previous?.GetValueOrDefault(u) ?? EndpointLoad.Pending(u))], version);
                metrics.EngineEndpoints(pool, pools[pool].Endpoints);
            }

            foreach (var removed in current.Pools.Keys.Where(p => !endpoints.ContainsKey(p)))
            {
                metrics.EngineEndpoints(removed, []);
            }

            if (changed)
            {
                _current = new EngineLoadSnapshot(pools, version);
            }
        }
    }

    /// <summary>Records a scrape of <paramref name="load"/>'s endpoint in <paramref name="pool"/>; ignored when either is gone.</summary>
    public void Record(string pool, EndpointLoad load)
    {
        lock (_writer)
        {
            var current = _current;
            if (current.For(pool) is not { } state)
            {
                return;
            }

            var index = -1;
            for (var i = 0; i < state.Endpoints.Count && index < 0; i++)
            {
                index = string.Equals(state.Endpoints[i].Endpoint, load.Endpoint, StringComparison.Ordinal) ? i : -1;
            }

            if (index < 0)
            {
                return;
            }

            var previous = state.Endpoints[index];
            var endpoints = state.Endpoints.ToArray();
            endpoints[index] = load;
            var version = current.Version + 1;
            var pools = new Dictionary<string, PoolEngineState>(current.Pools, StringComparer.Ordinal) { [pool] = new PoolEngineState(endpoints, version) };
            _current = new EngineLoadSnapshot(pools, version);
            if (previous.Up != load.Up || previous.ScrapedAt is null)
            {
                metrics.EngineEndpoints(pool, endpoints);
                LogTransition(pool, previous, load);
            }
        }
    }

    private void LogTransition(string pool, EndpointLoad previous, EndpointLoad load)
    {
        if (!load.Up && (previous.Up || previous.ScrapedAt is null))
        {
            EngineLog.EndpointDown(logger, pool, load.Endpoint, load.Error ?? "");
        }
        else if (load.Up && previous.ScrapedAt is not null && !previous.Up)
        {
            EngineLog.EndpointUp(logger, pool, load.Endpoint);
        }
    }
}
