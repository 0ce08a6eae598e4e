using AiSidecar.GpuAgent.Nvml.Interop;

namespace AiSidecar.GpuAgent.Nvml;

/// <summary>XID events through an NVML event set.</summary>
internal sealed partial class NvmlBinding
{
    public nint CreateEventSet()
    {
        if (Exports?.Events != true)
        {
            return 0;
        }

        NvmlNative.EventSetCreate(out var set).ThrowIfFailed("nvmlEventSetCreate");
        return set;
    }

    public bool RegisterXidEvents(nint eventSet, NvmlDevice device)
    {
        if (!NvmlNative.DeviceGetSupportedEventTypes(device.Handle, out var supported).IsPresent("nvmlDeviceGetSupportedEventTypes"))
        {
            return false;
        }

        var mask = supported & NvmlNative.EventTypeXidCriticalError;
        if (mask == 0)
        {
            return false;
        }

        // NOT_SUPPORTED leaves the set usable. Other errors propagate; after UNKNOWN the set is in an undefined state
        // and the caller must free it (nvml.h), which XidWatcher does.
        return NvmlNative.DeviceRegisterEvents(device.Handle, mask, eventSet).IsPresent("nvmlDeviceRegisterEvents");
    }

    public unsafe NvmlEvent? WaitForEvent(nint eventSet, uint timeoutMs)
    {
        NvmlEventData data;
        var result = NvmlNative.EventSetWaitV2(eventSet, &data, timeoutMs);
        if (result == NvmlReturn.Timeout)
        {
            return null;
        }

        result.ThrowIfFailed("nvmlEventSetWait_v2");
        return new NvmlEvent(
            new NvmlDevice(data.Device),
            data.EventType,
            data.EventData,
            data.GpuInstanceId == NvmlProcessInfo.NoInstance ? null : data.GpuInstanceId,
            data.ComputeInstanceId == NvmlProcessInfo.NoInstance ? null : data.ComputeInstanceId);
    }

    public void FreeEventSet(nint eventSet)
    {
        if (eventSet != 0)
        {
            _ = NvmlNative.EventSetFree(eventSet);
        }
    }
}
