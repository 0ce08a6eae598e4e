using System.Runtime.InteropServices;

namespace AiSidecar.GpuAgent.Nvml.Interop;

/// <summary><c>nvmlPciInfo_t</c> for <c>nvmlDeviceGetPciInfo_v3</c>: 68 B, 4-aligned.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NvmlPciInfo
{
    public fixed byte BusIdLegacy[16];
    public uint Domain;
    public uint Bus;
    public uint Device;
    public uint PciDeviceId;
    public uint PciSubSystemId;

    /// <summary>The <c>%08X:%02X:%02X.0</c> string, NUL-terminated.</summary>
    public fixed byte BusId[32];
}
