using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Metrics;
using AiSidecar.GpuAgent.Nvml;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Reads one GPU (and its MIG devices) into a <see cref="GpuDevice"/>; unreadable fields stay absent.</summary>
/// <remarks>GPU_IS_LOST propagates so that the sampler reports the whole device as lost; other errors only blank a field.</remarks>
internal sealed partial class DeviceReader(INvml nvml, XidTracker xids, AgentMetrics metrics)
{
    /// <summary><c>nvmlClocksEventReasonSwThermalSlowdown | nvmlClocksEventReasonHwThermalSlowdown</c>.</summary>
    internal const ulong ThermalSlowdownMask = 0x20 | 0x40;

    public GpuDevice Read(InventoryDevice inventory)
    {
        var handle = inventory.Device;
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

        AddProcesses(gpu.Processes, handle);
        if (OptionalValue(() => nvml.GetMigEnabled(handle)) is { } migEnabled)
        {
            gpu.MigEnabled = migEnabled;
            if (migEnabled)
            {
                foreach (var mig in OptionalRef(() => nvml.GetMigDevices(handle)) ?? [])
                {
                    gpu.MigDevices.Add(ReadMig(mig));
                }
            }
        }

        FillHealth(gpu, OptionalValue(() => nvml.GetClockEventReasons(handle)));
        return gpu;
    }

    private MigDevice ReadMig(NvmlMigHandle mig)
    {
        var device = new MigDevice
        {
            Uuid = OptionalRef(() => nvml.GetUuid(mig.Device)) ?? string.Empty,
            Name = OptionalRef(() => nvml.GetName(mig.Device)) ?? string.Empty,
            GpuInstanceId = mig.GpuInstanceId,
            ComputeInstanceId = mig.ComputeInstanceId,
        };
        if (OptionalRef(() => nvml.GetMemory(mig.Device)) is { } memory)
        {
            device.MemoryTotalBytes = memory.Total;
            device.MemoryUsedBytes = memory.Used;
            device.MemoryFreeBytes = memory.Free;
        }

        AddProcesses(device.Processes, mig.Device);
        return device;
    }

    private void AddProcesses(Google.Protobuf.Collections.RepeatedField<GpuProcess> target, NvmlDevice handle)
    {
        foreach (var entry in OptionalRef(() => nvml.GetComputeProcesses(handle)) ?? [])
        {
            var process = new GpuProcess { Pid = entry.Pid };
            if (entry.UsedMemory is { } used)
            {
                process.UsedMemoryBytes = used;
            }

            if (entry.GpuInstanceId is { } gi)
            {
                process.GpuInstanceId = gi;
            }

            if (entry.ComputeInstanceId is { } ci)
            {
                process.ComputeInstanceId = ci;
            }

            target.Add(process);
        }
    }
}
