using System.Runtime.InteropServices;

namespace AiSidecar.GpuAgent.Nvml.Interop;

/// <summary>MIG imports.</summary>
internal static partial class NvmlNative
{
    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetMigMode")]
    internal static partial NvmlReturn DeviceGetMigMode(nint device, out uint currentMode, out uint pendingMode);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetMaxMigDeviceCount")]
    internal static partial NvmlReturn DeviceGetMaxMigDeviceCount(nint device, out uint count);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetMigDeviceHandleByIndex")]
    internal static partial NvmlReturn DeviceGetMigDeviceHandleByIndex(nint device, uint index, out nint migDevice);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetGpuInstanceId")]
    internal static partial NvmlReturn DeviceGetGpuInstanceId(nint device, out uint id);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetComputeInstanceId")]
    internal static partial NvmlReturn DeviceGetComputeInstanceId(nint device, out uint id);
}
