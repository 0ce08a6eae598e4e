namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Where an XID was attributed: a GPU by NVML index, and its MIG instance when the event names one.</summary>
/// <remarks>Keyed by index, not UUID, so that a GPU whose UUID was unreadable when the watcher started is still told apart.</remarks>
internal readonly record struct XidKey(uint DeviceIndex, uint? GpuInstanceId, uint? ComputeInstanceId)
{
    public bool IsMigInstance => GpuInstanceId is not null;
}
