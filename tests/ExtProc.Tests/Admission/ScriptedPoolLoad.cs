using System.Collections.Concurrent;
using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Catalogue;

namespace AiSidecar.ExtProc.Tests.Admission;

/// <summary>A load source the test sets pool by pool; unset pools are unknown (stale).</summary>
internal sealed class ScriptedPoolLoad : IPoolLoadSource
{
    private readonly ConcurrentDictionary<string, Func<PoolSamples>> _pools = new(StringComparer.Ordinal);

    public void Set(string pool, PoolSamples samples) => _pools[pool] = () => samples;

    /// <summary>Every endpoint of <paramref name="pool"/> reporting the same load, scraped at <paramref name="at"/>.</summary>
    public void Engine(string pool, DateTimeOffset at, double waiting, double kvUsage, double running = 8, long? capacity = 100_000, int endpoints = 2) =>
        Set(pool, Samples(at, waiting, kvUsage, running, capacity, endpoints));

    /// <summary>Like <see cref="Engine"/>, always just scraped by <paramref name="time"/>'s clock: for a server on the real clock.</summary>
    public void FreshEngine(string pool, TimeProvider time, double waiting, double kvUsage) =>
        _pools[pool] = () => Samples(time.GetUtcNow(), waiting, kvUsage, running: 8, capacity: 100_000, endpoints: 2);

    public PoolSamples Read(PoolOptions pool) => _pools.TryGetValue(pool.Name, out var samples) ? samples() : PoolSamples.Unknown;

    private static PoolSamples Samples(DateTimeOffset at, double waiting, double kvUsage, double running, long? capacity, int endpoints) =>
        new([.. Enumerable.Range(0, endpoints).Select(i => new EndpointLoad($"e{i}", true, at, waiting, running, kvUsage, capacity, null))], null);
}
