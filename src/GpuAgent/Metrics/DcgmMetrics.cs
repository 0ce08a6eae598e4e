using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Sampling;
using Prometheus;

namespace AiSidecar.GpuAgent.Metrics;

/// <summary>Publishes each snapshot under dcgm-exporter's metric names, units and labels.</summary>
/// <remarks>Absent readings have no series; series of devices or pods that went away are removed.</remarks>
internal sealed class DcgmMetrics : ISnapshotObserver
{
    private const double BytesPerMebibyte = 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly DcgmSeriesSet _gpuUtil;
    private readonly DcgmSeriesSet _memCopyUtil;
    private readonly DcgmSeriesSet _fbUsed;
    private readonly DcgmSeriesSet _fbFree;
    private readonly DcgmSeriesSet _fbTotal;
    private readonly DcgmSeriesSet _fbReserved;
    private readonly DcgmSeriesSet _gpuTemp;
    private readonly DcgmSeriesSet _power;
    private readonly DcgmSeriesSet _xid;
    private readonly DcgmSeriesSet _healthy;
    private readonly DcgmSeriesSet[] _all;

    public DcgmMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        DcgmSeriesSet Gauge(string name, string help) => new(factory.CreateGauge(name, help, DcgmLabels.Names));
        _gpuUtil = Gauge("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).");
        _memCopyUtil = Gauge("DCGM_FI_DEV_MEM_COPY_UTIL", "Memory utilization (in %).");
        _fbUsed = Gauge("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).");
        _fbFree = Gauge("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).");
        _fbTotal = Gauge("DCGM_FI_DEV_FB_TOTAL", "Total framebuffer memory (in MiB).");
        _fbReserved = Gauge("DCGM_FI_DEV_FB_RESERVED", "Framebuffer memory reserved (in MiB).");
        _gpuTemp = Gauge("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).");
        _power = Gauge("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).");
        _xid = Gauge("DCGM_FI_DEV_XID_ERRORS", "Value of the last XID error encountered.");
        _healthy = Gauge("gpu_agent_device_healthy", "1 when the GPU is healthy (not lost, hung or after a critical XID).");
        _all = [_gpuUtil, _memCopyUtil, _fbUsed, _fbFree, _fbTotal, _fbReserved, _gpuTemp, _power, _xid, _healthy];
    }

    public void OnSnapshot(NodeSnapshot snapshot)
    {
        lock (_gate)
        {
            foreach (var set in _all)
            {
                set.BeginUpdate();
            }

            foreach (var gpu in snapshot.Devices)
            {
                Write(gpu, snapshot.NodeName);
            }

            foreach (var set in _all)
            {
                set.EndUpdate();
            }
        }
    }

    private void Write(GpuDevice gpu, string hostname)
    {
        foreach (var labels in DcgmLabels.For(gpu, null, hostname))
        {
            _healthy.Set(labels, gpu.Health?.Healthy == true ? 1 : 0);
            _xid.Set(labels, gpu.Health?.LastXid ?? 0);
            _gpuUtil.SetIf(gpu.HasGpuUtilizationPercent, labels, gpu.GpuUtilizationPercent);
            _memCopyUtil.SetIf(gpu.HasMemoryUtilizationPercent, labels, gpu.MemoryUtilizationPercent);
            _fbUsed.SetIf(gpu.HasMemoryUsedBytes, labels, Math.Floor(gpu.MemoryUsedBytes / BytesPerMebibyte));
            _fbFree.SetIf(gpu.HasMemoryFreeBytes, labels, Math.Floor(gpu.MemoryFreeBytes / BytesPerMebibyte));
            _fbTotal.SetIf(gpu.HasMemoryTotalBytes, labels, Math.Floor(gpu.MemoryTotalBytes / BytesPerMebibyte));
            _fbReserved.SetIf(gpu.HasMemoryReservedBytes, labels, Math.Floor(gpu.MemoryReservedBytes / BytesPerMebibyte));
            _gpuTemp.SetIf(gpu.HasTemperatureCelsius, labels, gpu.TemperatureCelsius);
            _power.SetIf(gpu.HasPowerMilliwatts, labels, gpu.PowerMilliwatts / 1000.0);
        }

        foreach (var mig in gpu.MigDevices)
        {
            foreach (var labels in DcgmLabels.For(gpu, mig, hostname))
            {
                _fbUsed.SetIf(mig.HasMemoryUsedBytes, labels, Math.Floor(mig.MemoryUsedBytes / BytesPerMebibyte));
                _fbFree.SetIf(mig.HasMemoryFreeBytes, labels, Math.Floor(mig.MemoryFreeBytes / BytesPerMebibyte));
                _fbTotal.SetIf(mig.HasMemoryTotalBytes, labels, Math.Floor(mig.MemoryTotalBytes / BytesPerMebibyte));
            }
        }
    }
}
