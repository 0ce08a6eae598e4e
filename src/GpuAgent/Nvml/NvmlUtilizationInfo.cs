namespace AiSidecar.GpuAgent.Nvml;

/// <summary>GPU and memory-controller utilization in percent.</summary>
internal sealed record NvmlUtilizationInfo(uint Gpu, uint Memory);
