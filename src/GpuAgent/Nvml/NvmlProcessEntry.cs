namespace AiSidecar.GpuAgent.Nvml;

/// <summary>A compute process on a device; absent values were not reported by the driver.</summary>
internal sealed record NvmlProcessEntry(uint Pid, ulong? UsedMemory, uint? GpuInstanceId, uint? ComputeInstanceId);
