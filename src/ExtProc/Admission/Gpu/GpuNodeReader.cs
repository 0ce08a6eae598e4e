using System.Collections.Frozen;
using System.Collections.Immutable;
using AiSidecar.GpuAgent.Api.V1;
using Google.Protobuf.Collections;

namespace AiSidecar.ExtProc.Admission.Gpu;

/// <summary>Turns an agent's <see cref="NodeSnapshot"/> into the fleet's immutable <see cref="GpuNodeState"/>, applying the health rule.</summary>
internal static class GpuNodeReader
{
    /// <summary>The reason given when the agent says unhealthy without a reason.</summary>
    public const string UnhealthyReason = "unhealthy";

    /// <summary>The node state <paramref name="snapshot"/> gives; its pool labels are <paramref name="previous"/>'s when they are the same (they rarely change; an agent pushes every 250 ms, and freezing the same map again each time is wasted work).</summary>
    public static GpuNodeState Read(NodeSnapshot snapshot, GpuNodeState? previous = null) => new(
        snapshot.NodeName,
        previous is not null && SameLabels(previous.PoolLabels, snapshot.PoolLabels) ? previous.PoolLabels : snapshot.PoolLabels.ToFrozenDictionary(StringComparer.Ordinal),
        snapshot.NvmlUp,
        [.. snapshot.Devices.Select(ReadGpu)]);

    /// <summary>
    /// Unhealthy when the agent says so (lost, a critical XID, an NVML timeout or error) and also on thermal or power
    /// slowdown, which the agent reports without calling the GPU unhealthy: a slowed GPU serves far below its rate.
    /// </summary>
    public static bool IsHealthy(DeviceHealth? health) =>
        health is null
        || (health.Healthy && !health.Lost
            && !(health.HasThermalSlowdown && health.ThermalSlowdown)
            && !(health.HasPowerSlowdown && health.PowerSlowdown));

    private static GpuDeviceState ReadGpu(GpuDevice gpu)
    {
        var healthy = IsHealthy(gpu.Health);
        var reasons = healthy ? [] : Reasons(gpu.Health);
        return new GpuDeviceState(
            gpu.Uuid,
            gpu.Index,
            gpu.Name,
            healthy,
            reasons,
            Bytes(gpu.HasMemoryTotalBytes, gpu.MemoryTotalBytes),
            Bytes(gpu.HasMemoryUsedBytes, gpu.MemoryUsedBytes),
            Bytes(gpu.HasMemoryFreeBytes, gpu.MemoryFreeBytes),
            gpu.HasGpuUtilizationPercent ? (int)Math.Min(gpu.GpuUtilizationPercent, 100u) : null,
            Pods(gpu.Pods),
            [.. gpu.MigDevices.Select(mig => new GpuDeviceState(
                mig.Uuid,
                gpu.Index,
                mig.Name,
                healthy,
                reasons,
                Bytes(mig.HasMemoryTotalBytes, mig.MemoryTotalBytes),
                Bytes(mig.HasMemoryUsedBytes, mig.MemoryUsedBytes),
                Bytes(mig.HasMemoryFreeBytes, mig.MemoryFreeBytes),
                null,
                Pods(mig.Pods),
                []))]);
    }

    private static bool SameLabels(FrozenDictionary<string, string> known, MapField<string, string> labels)
    {
        if (known.Count != labels.Count)
        {
            return false;
        }

        foreach (var (key, value) in labels)
        {
            if (!known.TryGetValue(key, out var knownValue) || !string.Equals(knownValue, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static ImmutableArray<string> Reasons(DeviceHealth health) =>
        health.Reasons.Count > 0 ? [.. health.Reasons.Distinct(StringComparer.Ordinal)]
        : health.Lost ? ["gpu_lost"]
        : [UnhealthyReason];

    private static ImmutableArray<GpuPod> Pods(IEnumerable<PodRef> pods) => [.. pods.Select(p => new GpuPod(p.Namespace, p.Pod, p.Container))];

    private static long? Bytes(bool present, ulong value) => present ? (long)Math.Min(value, long.MaxValue) : null;
}
