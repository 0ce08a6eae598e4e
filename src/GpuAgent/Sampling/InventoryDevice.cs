using AiSidecar.GpuAgent.Nvml;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>One GPU found at enumeration: its NVML index and handle, and its identity once read.</summary>
internal sealed class InventoryDevice(uint index, NvmlDevice device)
{
    public uint Index { get; } = index;

    public NvmlDevice Device { get; } = device;

    /// <summary>Null until the UUID could be read (a GPU lost at start has none).</summary>
    public DeviceIdentity? Identity { get; set; }

    /// <summary>The last read of this device, still running when a sample timed out.</summary>
    public Task<Api.V1.GpuDevice>? InFlight { get; set; }

    /// <summary>Outcome of the last sample, to log transitions only.</summary>
    public DeviceCondition Condition { get; set; }
}
