using AiSidecar.GpuAgent.Nvml;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>One GPU found at enumeration: its NVML index, its handle once obtained, and its identity once read.</summary>
internal sealed class InventoryDevice(uint index, NvmlDevice? device)
{
    private nint _handle = device?.Handle ?? 0;

    public uint Index { get; } = index;

    /// <summary>
    /// Null while <c>nvmlDeviceGetHandleByIndex_v2</c> fails for this GPU (NO_PERMISSION, GPU_IS_LOST, ...); the reader
    /// retries on every sample. Stored as one word so that the XID thread never sees a torn value.
    /// </summary>
    public NvmlDevice? Device
    {
        get => Volatile.Read(ref _handle) is var handle and not 0 ? new NvmlDevice(handle) : null;
        set => Volatile.Write(ref _handle, value?.Handle ?? 0);
    }

    /// <summary>Null until the UUID could be read (a GPU lost at start has none).</summary>
    public DeviceIdentity? Identity { get; set; }

    /// <summary>The last read of this device, still running when a sample timed out.</summary>
    public Task<Api.V1.GpuDevice>? InFlight { get; set; }

    /// <summary>Outcome of the last sample, to log transitions only.</summary>
    public DeviceCondition Condition { get; set; }
}
