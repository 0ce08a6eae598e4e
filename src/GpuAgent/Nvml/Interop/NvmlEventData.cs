using System.Runtime.InteropServices;

namespace AiSidecar.GpuAgent.Nvml.Interop;

/// <summary><c>nvmlEventData_t</c>: 32 B.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlEventData
{
    public nint Device;
    public ulong EventType;

    /// <summary>The XID number for XID events (999 means unknown).</summary>
    public ulong EventData;
    public uint GpuInstanceId;
    public uint ComputeInstanceId;
}
