using System.Collections.Frozen;
using System.Collections.Immutable;

namespace AiSidecar.ExtProc.Admission.Gpu;

/// <summary>
/// The fleet's GPU state as last received from every agent: immutable, replaced as a whole on every change (a Watch
/// update, a connection made or lost, an agent added or dropped).
/// </summary>
/// <param name="Version">Increases on every change, receive times included, so a cached evaluation is current while it holds.</param>
/// <param name="Agents">Every agent being watched, by address (<c>host:port</c>).</param>
internal sealed record GpuFleetSnapshot(long Version, ImmutableSortedDictionary<string, GpuAgentState> Agents)
{
    /// <summary>No agent.</summary>
    public static GpuFleetSnapshot Empty { get; } = new(0, ImmutableSortedDictionary.Create<string, GpuAgentState>(StringComparer.Ordinal));
}

/// <summary>One agent as the server last saw it.</summary>
/// <param name="Address">Where it is watched (<c>host:port</c>).</param>
/// <param name="Connected">Whether its Watch stream is delivering: true from the first update of a stream until the stream fails.</param>
/// <param name="ReceivedAt">Local time (the server's clock) of the last update; null before the first.</param>
/// <param name="Node">What its last update said; kept while disconnected (then stale), null before the first.</param>
internal sealed record GpuAgentState(string Address, bool Connected, DateTimeOffset? ReceivedAt, GpuNodeState? Node)
{
    /// <summary>An agent not heard from yet.</summary>
    public static GpuAgentState Unknown(string address) => new(address, false, null, null);
}

/// <summary>One node's GPUs as its agent reported them.</summary>
/// <param name="NodeName">The node's name.</param>
/// <param name="PoolLabels">The agent's configured pool labels.</param>
/// <param name="NvmlUp">False while the agent cannot read NVML (then <paramref name="Devices"/> is empty).</param>
/// <param name="Devices">Every GPU, in index order.</param>
internal sealed record GpuNodeState(string NodeName, FrozenDictionary<string, string> PoolLabels, bool NvmlUp, ImmutableArray<GpuDeviceState> Devices);

/// <summary>A GPU, or a MIG device of one.</summary>
/// <param name="Uuid"><c>GPU-…</c> or <c>MIG-…</c>.</param>
/// <param name="Index">NVML index of the GPU (of the parent GPU for a MIG device).</param>
/// <param name="Name">Product name (MIG profile name for a MIG device).</param>
/// <param name="Healthy">False when the agent reports it unhealthy, lost, or slowed down by heat or power (for a MIG device: its GPU's health).</param>
/// <param name="Reasons">Why it is unhealthy (the agent's reasons, such as <c>gpu_lost</c>, <c>xid_79</c>, <c>thermal_slowdown</c>, <c>power_slowdown</c>); empty when healthy.</param>
/// <param name="MemoryTotalBytes">Null when unreadable.</param>
/// <param name="MemoryUsedBytes">Null when unreadable.</param>
/// <param name="MemoryFreeBytes">Null when unreadable.</param>
/// <param name="UtilizationPercent">GPU utilization; null when unreadable (always for MIG devices).</param>
/// <param name="Pods">Pods the device is allocated to (empty when the agent has no pod mapping).</param>
/// <param name="MigDevices">The MIG devices of a GPU in MIG mode; empty otherwise and for MIG devices.</param>
internal sealed record GpuDeviceState(
    string Uuid,
    uint Index,
    string Name,
    bool Healthy,
    ImmutableArray<string> Reasons,
    long? MemoryTotalBytes,
    long? MemoryUsedBytes,
    long? MemoryFreeBytes,
    int? UtilizationPercent,
    ImmutableArray<GpuPod> Pods,
    ImmutableArray<GpuDeviceState> MigDevices);

/// <summary>A container a device is allocated to (from the kubelet's pod-resources API, through the agent).</summary>
internal readonly record struct GpuPod(string Namespace, string Pod, string Container);
