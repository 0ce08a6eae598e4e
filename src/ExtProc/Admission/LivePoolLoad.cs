using System.Runtime.CompilerServices;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Admission.Gpu;
using AiSidecar.ExtProc.Catalogue;

namespace AiSidecar.ExtProc.Admission;

/// <summary>
/// The server's live telemetry: the pool's endpoints as <see cref="EngineLoad"/> last scraped them, and its GPUs as
/// <see cref="GpuFleet"/> last heard of them. A pool's GPU selection walks every device of the fleet, so it is kept per
/// selector (a reload brings new selectors; the old ones go with their table) and redone only when the fleet's
/// version moves: a request costs a dictionary lookup and a version check.
/// </summary>
internal sealed class LivePoolLoad(GpuFleet fleet, EngineLoad engines) : IPoolLoadSource
{
    private readonly ConditionalWeakTable<PoolGpuOptions, Selection> _selections = [];

    public PoolSamples Read(PoolOptions pool) => new(
        pool.Engine is null ? null : engines.For(pool.Name)?.Endpoints ?? [],
        pool.Gpus is { } selector ? Gpus(selector) : null);

    private PoolGpuState Gpus(PoolGpuOptions selector)
    {
        var snapshot = fleet.Current;
        var selection = _selections.GetValue(selector, static _ => new Selection());
        var cached = Volatile.Read(ref selection.Latest);
        if (cached is null || cached.Version != snapshot.Version)
        {
            cached = new Evaluated(snapshot.Version, GpuPoolEvaluator.Evaluate(snapshot, selector));
            Volatile.Write(ref selection.Latest, cached);
        }

        return cached.State;
    }

    private sealed record Evaluated(long Version, PoolGpuState State);

    private sealed class Selection
    {
        public Evaluated? Latest;
    }
}
