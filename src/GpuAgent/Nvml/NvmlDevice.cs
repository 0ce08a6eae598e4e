namespace AiSidecar.GpuAgent.Nvml;

/// <summary>An opaque <c>nvmlDevice_t</c> (GPU or MIG device); handles are valid until NVML shuts down.</summary>
internal readonly record struct NvmlDevice(nint Handle);
