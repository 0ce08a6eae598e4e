using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Admission.Gpu;
using AiSidecar.ExtProc.Catalogue;

namespace AiSidecar.ExtProc.Admission;

/// <summary>
/// What admission knows of one pool's load: its endpoints' latest scrapes (null: no <c>engine</c> configured) and its
/// GPUs (null: no <c>gpus</c> configured).
/// </summary>
internal sealed record PoolSamples(IReadOnlyList<EndpointLoad>? Endpoints, PoolGpuState? Gpus)
{
    /// <summary>A pool nobody reports on yet.</summary>
    public static PoolSamples Unknown { get; } = new([], PoolGpuState.None);
}

/// <summary>
/// Where admission reads each pool's load: the live telemetry (GPU agents' Watch streams, engine scrapes) in the
/// server, a snapshot file in <c>route --load</c>.
/// </summary>
internal interface IPoolLoadSource
{
    /// <summary>The pool's latest samples: only the sources the pool configures (<c>engine</c>, <c>gpus</c>) are read.</summary>
    PoolSamples Read(PoolOptions pool);
}

/// <summary>A source with no telemetry (the commands, without <c>--load</c>): every monitored pool is unknown (stale).</summary>
internal sealed class UnknownPoolLoad : IPoolLoadSource
{
    public PoolSamples Read(PoolOptions pool) => PoolSamples.Unknown;
}
