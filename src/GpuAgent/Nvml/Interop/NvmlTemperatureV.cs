using System.Runtime.InteropServices;

namespace AiSidecar.GpuAgent.Nvml.Interop;

/// <summary><c>nvmlTemperature_t</c> for <c>nvmlDeviceGetTemperatureV</c>: 12 B.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlTemperatureV
{
    /// <summary><c>nvmlTemperature_v1</c>.</summary>
    public const uint StructVersion = 0x0100000C;

    public uint Version;
    public int SensorType;
    public int Temperature;
}
