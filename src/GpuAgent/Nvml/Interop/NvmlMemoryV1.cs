using System.Runtime.InteropServices;

namespace AiSidecar.GpuAgent.Nvml.Interop;

/// <summary><c>nvmlMemory_t</c>: bytes, 24 B.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlMemoryV1
{
    public ulong Total;
    public ulong Free;
    public ulong Used;
}
