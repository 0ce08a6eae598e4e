using AiSidecar.GpuAgent.Nvml;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Lists the GPUs once after NVML initializes (the GPU set changes only with the driver).</summary>
/// <remarks>
/// <c>nvmlDeviceGetCount_v2</c> counts GPUs whose handle cannot be obtained (NO_PERMISSION, GPU_IS_LOST): such a GPU
/// is listed without a handle and reported unhealthy by the sampler, while the others are sampled as usual.
/// </remarks>
internal static class DeviceEnumerator
{
    public static IReadOnlyList<InventoryDevice> Enumerate(INvml nvml)
    {
        var count = nvml.GetDeviceCount();
        var devices = new List<InventoryDevice>((int)count);
        for (uint i = 0; i < count; i++)
        {
            var device = new InventoryDevice(i, TryGetHandle(nvml, i));
            if (device.Device is { } handle)
            {
                device.Identity = TryReadIdentity(nvml, handle);
            }

            devices.Add(device);
        }

        return devices;
    }

    /// <summary>The GPU's handle, or null when NVML refuses it for this GPU; only UNINITIALIZED concerns all GPUs.</summary>
    public static NvmlDevice? TryGetHandle(INvml nvml, uint index)
    {
        try
        {
            return nvml.GetDeviceByIndex(index);
        }
        catch (NvmlException ex) when (ex.Code != NvmlReturn.Uninitialized)
        {
            return null;
        }
    }

    /// <summary>Reads UUID, name and PCI bus id; null when the UUID is unreadable (for example a lost GPU).</summary>
    public static DeviceIdentity? TryReadIdentity(INvml nvml, NvmlDevice device)
    {
        try
        {
            var uuid = nvml.GetUuid(device);
            return new DeviceIdentity(uuid, ReadOrEmpty(() => nvml.GetName(device)), ReadOrEmpty(() => nvml.GetPciBusId(device)));
        }
        catch (NvmlException)
        {
            return null;
        }
    }

    private static string ReadOrEmpty(Func<string> read)
    {
        try
        {
            return read();
        }
        catch (NvmlException)
        {
            return string.Empty;
        }
    }
}
