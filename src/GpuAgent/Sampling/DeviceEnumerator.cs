using AiSidecar.GpuAgent.Nvml;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Lists the GPUs once after NVML initializes (the GPU set changes only with the driver).</summary>
internal static class DeviceEnumerator
{
    public static IReadOnlyList<InventoryDevice> Enumerate(INvml nvml)
    {
        var count = nvml.GetDeviceCount();
        var devices = new List<InventoryDevice>((int)count);
        for (uint i = 0; i < count; i++)
        {
            var device = new InventoryDevice(i, nvml.GetDeviceByIndex(i));
            device.Identity = TryReadIdentity(nvml, device.Device);
            devices.Add(device);
        }

        return devices;
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
