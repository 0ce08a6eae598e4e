namespace AiSidecar.GpuAgent.Nvml;

/// <summary>An event from an NVML event set; for XID events <see cref="Data"/> is the XID number.</summary>
internal sealed record NvmlEvent(NvmlDevice Device, ulong EventType, ulong Data, uint? GpuInstanceId, uint? ComputeInstanceId);
