using AiSidecar.GpuAgent.Nvml.Interop;

namespace AiSidecar.GpuAgent.Nvml;

/// <summary>MIG mode and MIG device enumeration.</summary>
internal sealed partial class NvmlBinding
{
    /// <summary><c>NVML_DEVICE_MIG_ENABLE</c>.</summary>
    private const uint MigEnabled = 1;

    public bool? GetMigEnabled(NvmlDevice device)
    {
        if (Exports?.Mig != true)
        {
            return null;
        }

        return NvmlNative.DeviceGetMigMode(device.Handle, out var current, out _).IsPresent("nvmlDeviceGetMigMode")
            ? current == MigEnabled
            : null;
    }

    public IReadOnlyList<NvmlMigHandle> GetMigDevices(NvmlDevice device)
    {
        if (GetMigEnabled(device) != true)
        {
            return [];
        }

        NvmlNative.DeviceGetMaxMigDeviceCount(device.Handle, out var max).ThrowIfFailed("nvmlDeviceGetMaxMigDeviceCount");
        var devices = new List<NvmlMigHandle>((int)max);
        for (uint i = 0; i < max; i++)
        {
            var result = NvmlNative.DeviceGetMigDeviceHandleByIndex(device.Handle, i, out var mig);
            if (result == NvmlReturn.NotFound)
            {
                continue; // An empty MIG slot.
            }

            result.ThrowIfFailed("nvmlDeviceGetMigDeviceHandleByIndex");
            NvmlNative.DeviceGetGpuInstanceId(mig, out var gi).ThrowIfFailed("nvmlDeviceGetGpuInstanceId");
            NvmlNative.DeviceGetComputeInstanceId(mig, out var ci).ThrowIfFailed("nvmlDeviceGetComputeInstanceId");
            devices.Add(new NvmlMigHandle(new NvmlDevice(mig), gi, ci));
        }

        return devices;
    }
}
