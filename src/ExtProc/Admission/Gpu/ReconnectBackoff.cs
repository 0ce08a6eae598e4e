namespace AiSidecar.ExtProc.Admission.Gpu;

/// <summary>
/// Reconnect delays: the ceiling doubles from the initial delay up to the maximum, and each delay is drawn uniformly
/// from the upper half of the ceiling (never zero, never two agents in lockstep after a shared outage).
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, Random random)
{
    public ReconnectBackoff(GpuAgentsOptions options)
        : this(TimeSpan.FromMilliseconds(options.InitialBackoffMs), TimeSpan.FromMilliseconds(options.MaxBackoffMs), Random.Shared)
    {
    }

    /// <summary>The ceiling of the delay before attempt <paramref name="failures"/> + 1 (0 failures: the initial delay).</summary>
    public TimeSpan Ceiling(int failures) =>
        TimeSpan.FromTicks((long)Math.Min(max.Ticks, initial.Ticks * Math.Pow(2, Math.Min(failures, 30))));

    /// <summary>A delay in [ceiling / 2, ceiling].</summary>
    public TimeSpan Delay(int failures)
    {
        var ceiling = Ceiling(failures);
        return ceiling / 2 + ceiling / 2 * random.NextDouble();
    }
}
