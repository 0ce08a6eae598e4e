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
    /// The system's timers count whole milliseconds (and <c>Task.Delay</c> truncates to them): the wait is rounded to
    /// the nearest, so an answer leaves on average at its virtual time, within about half a millisecond. A fake
    /// clock's timers are exact.
    /// </remarks>
    public async Task DelayUntilAsync(TimeSpan at, CancellationToken cancellationToken)
    {
        var wait = at - Now;
        if (time == TimeProvider.System)
        {
            wait = TimeSpan.FromMilliseconds(Math.Round(wait.TotalMilliseconds));
        }

        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        var elapsed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = time.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), elapsed, wait, Timeout.InfiniteTimeSpan);
        await elapsed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
