using System.Runtime.InteropServices;

namespace AiSidecar.GpuAgent.Nvml.Interop;

/// <summary><c>nvmlProcessInfo_t</c> (= v2) as filled by the <c>_v3</c> process queries: 24 B.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlProcessInfo
{
    /// <summary><c>NVML_VALUE_NOT_AVAILABLE</c> as an unsigned 64-bit value.</summary>
    public const ulong ValueNotAvailable = ulong.MaxValue;

    /// <summary>GI/CI value for processes outside MIG.</summary>
    public const uint NoInstance = uint.MaxValue;

    public uint Pid;
    public ulong UsedGpuMemory;
    public uint GpuInstanceId;
    public uint ComputeInstanceId;
}
