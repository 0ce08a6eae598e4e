using AiSidecar.GpuAgent.Nvml.Interop;

namespace AiSidecar.GpuAgent.Nvml;

/// <summary>Per-device readings with version fallbacks; NOT_SUPPORTED becomes null.</summary>
internal sealed partial class NvmlBinding
{
    /// <summary><c>NVML_TEMPERATURE_GPU</c>.</summary>
    private const int TemperatureSensorGpu = 0;

    /// <summary>
    /// Memory with a consistent <c>used</c>: v2's <c>used</c> is allocated memory only (12.3+ header), v1's is reserved plus
    /// allocated, so both paths report <c>used = total - free</c> (reserved included) and v2 adds reserved on its own.
    /// </summary>
    public unsafe NvmlMemoryInfo? GetMemory(NvmlDevice device)
    {
        if (Exports?.MemoryV2 == true)
        {
            var v2 = new NvmlMemoryV2 { Version = NvmlMemoryV2.StructVersion };
            var result = NvmlNative.DeviceGetMemoryInfoV2(device.Handle, &v2);
            if (result == NvmlReturn.Success)
            {
                return new NvmlMemoryInfo(v2.Total, UsedIncludingReserved(v2.Total, v2.Free), v2.Free, v2.Reserved);
            }

            // Older drivers export the symbol but reject the struct version or the call: use v1.
            if (result is not (NvmlReturn.NotSupported or NvmlReturn.FunctionNotFound or NvmlReturn.ArgumentVersionMismatch))
            {
                throw new NvmlException(result, "nvmlDeviceGetMemoryInfo_v2");
            }
        }

        NvmlMemoryV1 v1;
        return NvmlNative.DeviceGetMemoryInfo(device.Handle, &v1).IsPresent("nvmlDeviceGetMemoryInfo")
            ? new NvmlMemoryInfo(v1.Total, UsedIncludingReserved(v1.Total, v1.Free), v1.Free, null)
            : null;
    }

    public unsafe NvmlUtilizationInfo? GetUtilization(NvmlDevice device)
    {
        NvmlUtilization utilization;
        return NvmlNative.DeviceGetUtilizationRates(device.Handle, &utilization).IsPresent("nvmlDeviceGetUtilizationRates")
            ? new NvmlUtilizationInfo(utilization.Gpu, utilization.Memory)
            : null;
    }

    public unsafe int? GetTemperatureCelsius(NvmlDevice device)
    {
        if (Exports?.TemperatureV == true)
        {
            var reading = new NvmlTemperatureV { Version = NvmlTemperatureV.StructVersion, SensorType = TemperatureSensorGpu };
            var result = NvmlNative.DeviceGetTemperatureV(device.Handle, &reading);
            if (result == NvmlReturn.Success)
            {
                return reading.Temperature;
            }

            if (result == NvmlReturn.NotSupported)
            {
                return null;
            }

            if (result is not (NvmlReturn.FunctionNotFound or NvmlReturn.ArgumentVersionMismatch))
            {
                throw new NvmlException(result, "nvmlDeviceGetTemperatureV");
            }
        }

        if (Exports?.TemperatureLegacy != true)
        {
            return null;
        }

        return NvmlNative.DeviceGetTemperature(device.Handle, TemperatureSensorGpu, out var celsius).IsPresent("nvmlDeviceGetTemperature")
            ? (int)celsius
            : null;
    }

    public uint? GetPowerMilliwatts(NvmlDevice device) =>
        NvmlNative.DeviceGetPowerUsage(device.Handle, out var milliwatts).IsPresent("nvmlDeviceGetPowerUsage") ? milliwatts : null;

    /// <summary>Prefers <c>nvmlDeviceGetCurrentClocksEventReasons</c>; the deprecated throttle-reasons name is the fallback.</summary>
    public ulong? GetClockEventReasons(NvmlDevice device)
    {
        ulong reasons;
        if (Exports?.ClockEventReasons == true)
        {
            return NvmlNative.DeviceGetCurrentClocksEventReasons(device.Handle, out reasons)
                .IsPresent("nvmlDeviceGetCurrentClocksEventReasons") ? reasons : null;
        }

        if (Exports?.ClockThrottleReasons != true)
        {
            return null;
        }

        return NvmlNative.DeviceGetCurrentClocksThrottleReasons(device.Handle, out reasons)
            .IsPresent("nvmlDeviceGetCurrentClocksThrottleReasons") ? reasons : null;
    }

    private static ulong UsedIncludingReserved(ulong total, ulong free) => total > free ? total - free : 0;
}
