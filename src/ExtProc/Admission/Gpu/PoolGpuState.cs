namespace AiSidecar.ExtProc.Admission.Gpu;

/// <summary>The GPUs serving one pool (selected by its <see cref="PoolGpuOptions"/>), as of one <see cref="GpuFleetSnapshot"/>.</summary>
/// <param name="Matched">GPUs (or MIG devices) selected.</param>
/// <param name="Healthy">Those of them healthy.</param>
/// <param name="UnhealthyReasons">The distinct reasons of the unhealthy ones (ordinal order), plus <c>nvml_down</c> for a label-selected agent that cannot read NVML.</param>
/// <param name="OldestUpdate">The oldest receive time among the agents that contributed; null when none did.</param>
/// <param name="FreeMemoryBytes">Free memory of the healthy selected devices; null when none reports it.</param>
/// <param name="TotalMemoryBytes">Total memory of the healthy selected devices; null when none reports it.</param>
/// <param name="AnyDisconnected">Whether an agent that contributed has lost its Watch stream (its devices are as last seen).</param>
internal sealed record PoolGpuState(
    int Matched,
    int Healthy,
    IReadOnlyList<string> UnhealthyReasons,
    DateTimeOffset? OldestUpdate,
    long? FreeMemoryBytes,
    long? TotalMemoryBytes,
    bool AnyDisconnected)
{
    /// <summary>No GPU selected.</summary>
    public static PoolGpuState None { get; } = new(0, 0, [], null, null, null, false);
}
