using System.Runtime.InteropServices;

namespace AiSidecar.GpuAgent.Nvml.Interop;

/// <summary>Source-generated imports of NVML's versioned entry points (init, enumeration, readings).</summary>
/// <remarks>Library loading goes through <see cref="NvmlLibraryLoader"/>, which resolves <see cref="LibraryName"/> to the configured path.</remarks>
internal static unsafe partial class NvmlNative
{
    /// <summary>The driver's soname; the bare <c>libnvidia-ml.so</c> is a dev symlink containers often lack.</summary>
    public const string LibraryName = "libnvidia-ml.so.1";

    [LibraryImport(LibraryName, EntryPoint = "nvmlInit_v2")]
    internal static partial NvmlReturn InitV2();

    [LibraryImport(LibraryName, EntryPoint = "nvmlShutdown")]
    internal static partial NvmlReturn Shutdown();

    /// <summary>Returns a static string: never let the marshaller free it.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlErrorString")]
    internal static partial nint ErrorString(NvmlReturn result);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetCount_v2")]
    internal static partial NvmlReturn DeviceGetCountV2(out uint count);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetHandleByIndex_v2")]
    internal static partial NvmlReturn DeviceGetHandleByIndexV2(uint index, out nint device);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetName")]
    internal static partial NvmlReturn DeviceGetName(nint device, byte* name, uint length);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetUUID")]
    internal static partial NvmlReturn DeviceGetUuid(nint device, byte* uuid, uint length);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetPciInfo_v3")]
    internal static partial NvmlReturn DeviceGetPciInfoV3(nint device, NvmlPciInfo* pci);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetMemoryInfo")]
    internal static partial NvmlReturn DeviceGetMemoryInfo(nint device, NvmlMemoryV1* memory);

    /// <summary>Optional (R510+): probe the export first and set <see cref="NvmlMemoryV2.Version"/>.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetMemoryInfo_v2")]
    internal static partial NvmlReturn DeviceGetMemoryInfoV2(nint device, NvmlMemoryV2* memory);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetUtilizationRates")]
    internal static partial NvmlReturn DeviceGetUtilizationRates(nint device, NvmlUtilization* utilization);

    /// <summary>Deprecated in 13.0 but exported; used when <c>nvmlDeviceGetTemperatureV</c> is absent.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetTemperature")]
    internal static partial NvmlReturn DeviceGetTemperature(nint device, int sensor, out uint temperature);

    /// <summary>Optional (12.8+ header): probe the export first.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetTemperatureV")]
    internal static partial NvmlReturn DeviceGetTemperatureV(nint device, NvmlTemperatureV* temperature);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetPowerUsage")]
    internal static partial NvmlReturn DeviceGetPowerUsage(nint device, out uint milliwatts);

    /// <summary>Optional (12.2+ header): probe the export first; preferred over the deprecated throttle-reasons name.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetCurrentClocksEventReasons")]
    internal static partial NvmlReturn DeviceGetCurrentClocksEventReasons(nint device, out ulong reasons);

    /// <summary>Deprecated in 13.0 (same signature as the event-reasons call); the fallback for older drivers.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetCurrentClocksThrottleReasons")]
    internal static partial NvmlReturn DeviceGetCurrentClocksThrottleReasons(nint device, out ulong reasons);

    /// <summary><paramref name="infoCount"/> is in-out: capacity in, entries (or needed entries) out.</summary>
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetComputeRunningProcesses_v3")]
    internal static partial NvmlReturn DeviceGetComputeRunningProcessesV3(nint device, ref uint infoCount, NvmlProcessInfo* infos);
}
