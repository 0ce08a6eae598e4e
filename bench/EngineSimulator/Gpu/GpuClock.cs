namespace AiSidecar.EngineSimulator.Gpu;

/// <summary>
/// The virtual GPU clock: time since the simulator started. Each pass ends at max(ready, GPU free) + cost, computed
/// here rather than from when a late timer woke the scheduler, so timer granularity never accumulates.
/// </summary>
internal sealed class GpuClock(TimeProvider time)
{
    private readonly long _origin = time.GetTimestamp();

    /// <summary>Now, on the virtual clock.</summary>
    public TimeSpan Now => time.GetElapsedTime(_origin);

    /// <summary>Completes at <paramref name="at"/> (at once when it has passed).</summary>
    /// <remarks>
    /// A timer with the exact wait: a fake clock's timers honour it (<c>Task.Delay</c> would truncate it to whole
    /// milliseconds); the system's timers truncate to whole milliseconds and fire up to about a millisecond late,
    /// which roughly evens out.
    /// </remarks>
    public async Task DelayUntilAsync(TimeSpan at, CancellationToken cancellationToken)
    {
        var wait = at - Now;
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        var elapsed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = time.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), elapsed, wait, Timeout.InfiniteTimeSpan);
        await elapsed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
