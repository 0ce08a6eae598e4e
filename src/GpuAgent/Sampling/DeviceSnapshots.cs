using AiSidecar.GpuAgent.Api.V1;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Device entries for GPUs whose readings are missing: lost, hung or failing.</summary>
internal static class DeviceSnapshots
{
    public const string LostReason = "gpu_lost";

    public const string TimeoutReason = "nvml_timeout";

    public const string ErrorReason = "nvml_error";

    /// <summary>Index and identity only, healthy until proven otherwise.</summary>
    public static GpuDevice Skeleton(InventoryDevice inventory) => new()
    {
        Index = inventory.Index,
        Uuid = inventory.Identity?.Uuid ?? string.Empty,
        Name = inventory.Identity?.Name ?? string.Empty,
        PciBusId = inventory.Identity?.PciBusId ?? string.Empty,
        Health = new DeviceHealth { Healthy = true },
    };

    /// <summary>An unhealthy entry with one reason (<c>gpu_lost</c>, <c>nvml_timeout</c>, <c>nvml_error</c>).</summary>
    public static GpuDevice Unhealthy(InventoryDevice inventory, string reason)
    {
        var device = Skeleton(inventory);
        device.Health.Healthy = false;
        device.Health.Lost = reason == LostReason;
        device.Health.Reasons.Add(reason);
        return device;
    }
}
