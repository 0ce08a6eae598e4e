namespace AiSidecar.GpuAgent.Nvml;

/// <summary>A MIG device under a GPU with its GPU-instance and compute-instance ids.</summary>
internal sealed record NvmlMigHandle(NvmlDevice Device, uint GpuInstanceId, uint ComputeInstanceId);
