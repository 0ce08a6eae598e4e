namespace AiSidecar.ExtProc.Admission;

/// <summary>The latest load of one model-server endpoint, as its metrics said (null: the engine does not report it).</summary>
/// <param name="Up">False when the last scrape failed (refused, timed out, an error status, unreadable metrics).</param>
/// <param name="At">When the last scrape finished; null before the first.</param>
/// <param name="Waiting">Requests waiting in the engine's queue.</param>
/// <param name="Running">Requests in the running batch.</param>
/// <param name="KvUsage">KV-cache use, 0 to 1.</param>
/// <param name="KvCapacityTokens">KV-cache capacity in tokens.</param>
internal sealed record EngineSample(bool Up, DateTimeOffset? At, double? Waiting, double? Running, double? KvUsage, long? KvCapacityTokens);

/// <summary>The GPUs serving one pool, as the GPU agents last reported them.</summary>
/// <param name="Matched">GPUs that serve the pool.</param>
/// <param name="Healthy">Of those, the healthy ones.</param>
/// <param name="UnhealthyReasons">Why the others are not (distinct: <c>gpu_lost</c>, <c>xid_79</c>, <c>thermal_slowdown</c>…).</param>
/// <param name="OldestUpdate">The oldest Watch update among the agents that reported them; null when none did.</param>
internal sealed record GpuSample(int Matched, int Healthy, IReadOnlyList<string> UnhealthyReasons, DateTimeOffset? OldestUpdate);

/// <summary>What admission knows of one pool's load: its endpoints (null: no engine configured) and GPUs (null: none configured).</summary>
internal sealed record PoolSamples(IReadOnlyList<EngineSample>? Endpoints, GpuSample? Gpus)
{
    /// <summary>A pool nobody reports on yet.</summary>
    public static PoolSamples Unknown { get; } = new([], new GpuSample(0, 0, [], null));
}

/// <summary>
/// Where admission reads each pool's load: the live telemetry (GPU agents' Watch streams, engine scrapes) in the
/// server, a snapshot file in <c>route --load</c>.
/// </summary>
internal interface IPoolLoadSource
{
    /// <summary>The pool's latest samples: only the sources the pool configures (<c>engine</c>, <c>gpus</c>) are read.</summary>
    PoolSamples Read(Catalogue.PoolOptions pool);
}

/// <summary>A source with no telemetry: every monitored pool is unknown (stale).</summary>
internal sealed class UnknownPoolLoad : IPoolLoadSource
{
    public PoolSamples Read(Catalogue.PoolOptions pool) => PoolSamples.Unknown;
}
