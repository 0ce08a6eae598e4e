using AiSidecar.GpuAgent.Nvml.Interop;

namespace AiSidecar.GpuAgent.Nvml;

/// <summary>Compute processes through the <c>_v3</c> size-then-fill protocol.</summary>
internal sealed partial class NvmlBinding
{
    private const string ProcessesFunction = "nvmlDeviceGetComputeRunningProcesses_v3";

    /// <summary>Fill attempts before giving up on a list that keeps growing.</summary>
    private const int ProcessFillAttempts = 4;

    /// <summary>Extra entries per attempt, for processes that start between the sizing and the fill call.</summary>
    private const uint ProcessHeadroom = 8;

    /// <summary>The processes, or null when the device does not report them (NOT_SUPPORTED on either call).</summary>
    public unsafe IReadOnlyList<NvmlProcessEntry>? GetComputeProcesses(NvmlDevice device)
    {
        uint count = 0;
        var result = NvmlNative.DeviceGetComputeRunningProcessesV3(device.Handle, ref count, null);
        if (result == NvmlReturn.Success || (result == NvmlReturn.InsufficientSize && count == 0))
        {
            return [];
        }

        if (result != NvmlReturn.InsufficientSize && !result.IsPresent(ProcessesFunction))
        {
            return null;
        }

        for (var attempt = 0; attempt < ProcessFillAttempts; attempt++)
        {
            var capacity = count + ProcessHeadroom;
            var buffer = new NvmlProcessInfo[capacity];
            var filled = capacity;
            fixed (NvmlProcessInfo* infos = buffer)
            {
                result = NvmlNative.DeviceGetComputeRunningProcessesV3(device.Handle, ref filled, infos);
            }

            if (result == NvmlReturn.Success)
            {
                return ToEntries(buffer, Math.Min(filled, capacity));
            }

            if (result != NvmlReturn.InsufficientSize && !result.IsPresent(ProcessesFunction))
            {
                return null; // NOT_SUPPORTED on the fill call means absent too, exactly as on the sizing call.
            }

            count = filled;
        }

        throw new NvmlException(NvmlReturn.InsufficientSize, ProcessesFunction);
    }

    private static NvmlProcessEntry[] ToEntries(NvmlProcessInfo[] buffer, uint count)
    {
        var entries = new NvmlProcessEntry[count];
        for (var i = 0; i < count; i++)
        {
            var info = buffer[i];
            entries[i] = new NvmlProcessEntry(
                info.Pid,
                info.UsedGpuMemory == NvmlProcessInfo.ValueNotAvailable ? null : info.UsedGpuMemory,
                info.GpuInstanceId == NvmlProcessInfo.NoInstance ? null : info.GpuInstanceId,
                info.ComputeInstanceId == NvmlProcessInfo.NoInstance ? null : info.ComputeInstanceId);
        }

        return entries;
    }
}
