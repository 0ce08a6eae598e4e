namespace AiSidecar.EngineSimulator.Gpu;

/// <summary>
/// The virtual GPU clock: time since the simulator started. Each pass ends at max(ready, GPU free) + cost, computed
/// here rather than from when a late timer woke the scheduler, so timer granularity (about 1 ms) never accumulates.
/// </summary>
internal sealed class GpuClock(TimeProvider time)
{
    private readonly long _origin = time.GetTimestamp();

    /// <summary>Now, on the virtual clock.</summary>
    public TimeSpan Now => time.GetElapsedTime(_origin);

    /// <summary>Completes at <paramref name="at"/> (at once when it has passed).</summary>
    public Task DelayUntilAsync(TimeSpan at, CancellationToken cancellationToken)
    {
        var wait = at - Now;
        return wait > TimeSpan.Zero ? Task.Delay(wait, time, cancellationToken) : Task.CompletedTask;
    }
}
