using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Nvml;
using Google.Protobuf.WellKnownTypes;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Health and the field-level error policy.</summary>
internal sealed partial class DeviceReader
{
    private void FillHealth(GpuDevice gpu, ulong? clockReasons)
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
        }

        if (xids.Get(gpu.Uuid) is { } xid)
        {
            health.LastXid = xid.LastXid;
            health.XidCount = xid.Count;
            health.LastXidAt = Timestamp.FromDateTimeOffset(xid.LastAt);
            if (xids.IsCriticalActive(xid))
            {
                health.Healthy = false;
                health.Reasons.Add(FormattableString.Invariant($"xid_{xid.LastXid}"));
            }
        }
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
