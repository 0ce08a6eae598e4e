using System.Runtime.InteropServices;

namespace AiSidecar.GpuAgent.Nvml.Interop;

/// <summary><c>nvmlMemory_v2_t</c>: 40 B, 8-aligned, 4 bytes of padding after <see cref="Version"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlMemoryV2
{
    /// <summary><c>NVML_STRUCT_VERSION(Memory, 2)</c> = sizeof | (2 &lt;&lt; 24).</summary>
    public const uint StructVersion = 0x02000028;

    public uint Version;
    public ulong Total;
    public ulong Reserved;
    public ulong Free;
    public ulong Used;
}
