using System.Runtime.InteropServices;

namespace AiSidecar.GpuAgent.Nvml.Interop;

/// <summary>Event-set imports used for XID events.</summary>
internal static unsafe partial class NvmlNative
{
    /// <summary><c>nvmlEventTypeXidCriticalError</c>.</summary>
    public const ulong EventTypeXidCriticalError = 0x8;

    [LibraryImport(LibraryName, EntryPoint = "nvmlEventSetCreate")]
    internal static partial NvmlReturn EventSetCreate(out nint set);

    [LibraryImport(LibraryName, EntryPoint = "nvmlEventSetFree")]
    internal static partial NvmlReturn EventSetFree(nint set);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceGetSupportedEventTypes")]
    internal static partial NvmlReturn DeviceGetSupportedEventTypes(nint device, out ulong eventTypes);

    [LibraryImport(LibraryName, EntryPoint = "nvmlDeviceRegisterEvents")]
    internal static partial NvmlReturn DeviceRegisterEvents(nint device, ulong eventTypes, nint set);

    [LibraryImport(LibraryName, EntryPoint = "nvmlEventSetWait_v2")]
    internal static partial NvmlReturn EventSetWaitV2(nint set, NvmlEventData* data, uint timeoutMs);
}
