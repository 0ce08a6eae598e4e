namespace AiSidecar.GpuAgent.Nvml;

/// <summary>Frame-buffer memory in bytes; <see cref="Reserved"/> is absent when only the v1 struct was available.</summary>
internal sealed record NvmlMemoryInfo(ulong Total, ulong Used, ulong Free, ulong? Reserved);
