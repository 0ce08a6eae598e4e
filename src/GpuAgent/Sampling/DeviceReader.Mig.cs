using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Nvml;
using Google.Protobuf.Collections;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>MIG devices and compute processes.</summary>
/// <remarks>
/// Each process is listed once. On a MIG-enabled GPU, <c>nvmlDeviceGetComputeRunningProcesses_v3</c> on the GPU handle
/// already returns the aggregate of every MIG instance, each entry with its GI/CI, so the GPU is queried once and
/// every entry is placed under the MIG device with the same GI/CI (entries matching none stay on the GPU). Querying the
/// MIG devices as well would list every process twice. Only when the aggregate is unavailable (NVML reports it only
/// to callers with enough privileges) are the MIG devices queried one by one.
/// </remarks>
internal sealed partial class DeviceReader
{
    private List<(NvmlMigHandle Handle, MigDevice Entry)> ReadMigDevices(GpuDevice gpu, NvmlDevice handle)
    {
        var migs = new List<(NvmlMigHandle, MigDevice)>();
        if (OptionalValue(() => nvml.GetMigEnabled(handle)) is not { } migEnabled)
        {
            return migs;
        }

        gpu.MigEnabled = migEnabled;
        if (!migEnabled)
        {
            return migs;
        }

        foreach (var mig in OptionalRef(() => nvml.GetMigDevices(handle)) ?? [])
        {
            var entry = ReadMig(mig);
            gpu.MigDevices.Add(entry);
            migs.Add((mig, entry));
        }

        return migs;
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

        return device;
    }

    private void FillProcesses(GpuDevice gpu, NvmlDevice handle, List<(NvmlMigHandle Handle, MigDevice Entry)> migs)
    {
        if (OptionalRef(() => nvml.GetComputeProcesses(handle)) is not { } all)
        {
            foreach (var (mig, entry) in migs)
            {
                AddProcesses(entry.Processes, OptionalRef(() => nvml.GetComputeProcesses(mig.Device)));
            }

            return;
        }

        foreach (var process in all)
        {
            var owner = migs.Find(m => m.Handle.GpuInstanceId == process.GpuInstanceId && m.Handle.ComputeInstanceId == process.ComputeInstanceId);
            (owner.Entry?.Processes ?? gpu.Processes).Add(ToProto(process));
        }
    }

    private static void AddProcesses(RepeatedField<GpuProcess> target, IReadOnlyList<NvmlProcessEntry>? entries)
    {
        foreach (var entry in entries ?? [])
        {
            target.Add(ToProto(entry));
        }
    }

    private static GpuProcess ToProto(NvmlProcessEntry entry)
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

        return process;
    }
}
