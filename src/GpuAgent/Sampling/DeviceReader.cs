using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Metrics;
using AiSidecar.GpuAgent.Nvml;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Reads one GPU (and its MIG devices) into a <see cref="GpuDevice"/>; unreadable fields stay absent.</summary>
/// <remarks>
/// GPU_IS_LOST propagates so that the sampler reports the whole device as lost; other errors only blank a field.
/// A GPU whose handle could not be obtained is retried here: the handle error itself propagates, so that GPU alone is
/// reported unhealthy (<c>gpu_lost</c> for GPU_IS_LOST, <c>nvml_error</c> otherwise).
/// </remarks>
internal sealed partial class DeviceReader(INvml nvml, XidTracker xids, AgentMetrics metrics)
{
    /// <summary><c>nvmlClocksEventReasonSwThermalSlowdown | nvmlClocksEventReasonHwThermalSlowdown</c>.</summary>
    internal const ulong ThermalSlowdownMask = 0x20 | 0x40;

    /// <summary><c>nvmlClocksEventReasonHwSlowdown</c>: clocks cut by half or more (heat, an external power brake, power-draw protection).</summary>
    internal const ulong HwSlowdown = 0x08;

    /// <summary><c>nvmlClocksEventReasonHwThermalSlowdown</c>: the thermal part of <see cref="HwSlowdown"/>.</summary>
    internal const ulong HwThermalSlowdown = 0x40;

    /// <summary><c>nvmlClocksEventReasonHwPowerBrakeSlowdown</c>: the power supply asserted the external power brake.</summary>
    internal const ulong HwPowerBrakeSlowdown = 0x80;

    public GpuDevice Read(InventoryDevice inventory)
    {
        var handle = inventory.Device ?? AcquireHandle(inventory);
        inventory.Identity ??= DeviceEnumerator.TryReadIdentity(nvml, handle);
        if (inventory.Identity is null)
        {
            _ = nvml.GetUuid(handle); // Throws the reason the identity is unreadable.
        }

        var gpu = DeviceSnapshots.Skeleton(inventory);
        if (OptionalRef(() => nvml.GetMemory(handle)) is { } memory)
        {
            gpu.MemoryTotalBytes = memory.Total;
            gpu.MemoryUsedBytes = memory.Used;
            gpu.MemoryFreeBytes = memory.Free;
            if (memory.Reserved is { } reserved)
            {
                gpu.MemoryReservedBytes = reserved;
            }
        }

        if (OptionalRef(() => nvml.GetUtilization(handle)) is { } utilization)
        {
            gpu.GpuUtilizationPercent = utilization.Gpu;
            gpu.MemoryUtilizationPercent = utilization.Memory;
        }

        if (OptionalValue(() => nvml.GetTemperatureCelsius(handle)) is { } celsius)
        {
            gpu.TemperatureCelsius = celsius;
        }

        if (OptionalValue(() => nvml.GetPowerMilliwatts(handle)) is { } milliwatts)
        {
            gpu.PowerMilliwatts = milliwatts;
        }

        var migs = ReadMigDevices(gpu, handle);
        FillProcesses(gpu, handle, migs);
        FillHealth(gpu, inventory.Index, OptionalValue(() => nvml.GetClockEventReasons(handle)));
        return gpu;
    }

    private NvmlDevice AcquireHandle(InventoryDevice inventory)
    {
        var handle = nvml.GetDeviceByIndex(inventory.Index);
        inventory.Device = handle;
        return handle;
    }
}
