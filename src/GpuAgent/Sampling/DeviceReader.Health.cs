using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Nvml;
using Google.Protobuf.WellKnownTypes;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Health and the field-level error policy.</summary>
internal sealed partial class DeviceReader
{
    /// <summary>
    /// Thermal and power slowdown, and XIDs. Power slowdown is the hardware kind only: the HW power brake, or HW
    /// slowdown not explained by HW thermal slowdown (reported as thermal). The software power cap
    /// (<c>nvmlClocksEventReasonSwPowerCap</c>, 0x4) is a busy GPU at its power limit, which is normal, and is ignored.
    /// XIDs. XIDs are looked up by GPU index; an event naming a MIG instance that matches one of
    /// the GPU's MIG devices by GI/CI gets the reason <c>xid_&lt;n&gt;_gi&lt;g&gt;_ci&lt;c&gt;</c>, any other <c>xid_&lt;n&gt;</c>.
    /// The GPU is the health unit of the API, so a critical XID on one of its instances makes the GPU unhealthy too.
    /// </summary>
    private void FillHealth(GpuDevice gpu, uint index, ulong? clockReasons)
    {
        var health = gpu.Health;
        health.Healthy = true;
        if (clockReasons is { } reasons)
        {
            health.ThermalSlowdown = (reasons & ThermalSlowdownMask) != 0;
            if (health.ThermalSlowdown)
            {
                health.Reasons.Add("thermal_slowdown");
            }

            health.PowerSlowdown = IsPowerSlowdown(reasons);
            if (health.PowerSlowdown)
            {
                health.Reasons.Add("power_slowdown");
            }
        }

        XidState? latest = null;
        foreach (var (key, xid) in xids.ForDevice(index))
        {
            health.XidCount += xid.Count;
            if (latest is null || xid.LastAt > latest.LastAt)
            {
                latest = xid;
            }

            if (xids.IsCriticalActive(xid))
            {
                health.Healthy = false;
                var reason = XidReason(gpu, key, xid.LastCriticalXid);
                if (!health.Reasons.Contains(reason))
                {
                    health.Reasons.Add(reason);
                }
            }
        }

        if (latest is not null)
        {
            health.LastXid = latest.LastXid;
            health.LastXidAt = Timestamp.FromDateTimeOffset(latest.LastAt);
        }
    }

    /// <summary>HW power brake, or HW slowdown whose cause is not HW thermal slowdown (heat is reported as thermal).</summary>
    internal static bool IsPowerSlowdown(ulong reasons) =>
        (reasons & HwPowerBrakeSlowdown) != 0 || ((reasons & HwSlowdown) != 0 && (reasons & HwThermalSlowdown) == 0);

    private static string XidReason(GpuDevice gpu, XidKey key, ulong xid)
    {
        var instance = gpu.MigDevices.Any(m => m.GpuInstanceId == key.GpuInstanceId && m.ComputeInstanceId == key.ComputeInstanceId);
        return instance
            ? FormattableString.Invariant($"xid_{xid}_gi{key.GpuInstanceId}_ci{key.ComputeInstanceId}")
            : FormattableString.Invariant($"xid_{xid}");
    }

    /// <summary>Runs a read; any NVML error but GPU_IS_LOST is counted and turns the field absent.</summary>
    private T? OptionalRef<T>(Func<T?> read)
        where T : class
    {
        try
        {
            return read();
        }
        catch (NvmlException ex) when (ex.Code != NvmlReturn.GpuIsLost)
        {
            metrics.RecordNvmlError(ex);
            return null;
        }
    }

    private T? OptionalValue<T>(Func<T?> read)
        where T : struct
    {
        try
        {
            return read();
        }
        catch (NvmlException ex) when (ex.Code != NvmlReturn.GpuIsLost)
        {
            metrics.RecordNvmlError(ex);
            return null;
        }
    }
}
