using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Metrics;
using AiSidecar.Testing;
using Prometheus;

namespace AiSidecar.GpuAgent.Tests.Metrics;

public sealed class DcgmMetricsTests
{
    private const string Labels = "gpu=\"0\",UUID=\"GPU-a\",pci_bus_id=\"00000000:17:00.0\",device=\"nvidia0\",modelName=\"NVIDIA H100\",GPU_I_PROFILE=\"\",GPU_I_ID=\"\",hostname=\"node-a\"";

    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly DcgmMetrics _metrics;

    public DcgmMetricsTests()
    {
        _metrics = new DcgmMetrics(_registry);
    }

    [Fact]
    public async Task OnSnapshot_FullGpu_WritesDcgmNamesInMebibytesAndWatts()
    {
        _metrics.OnSnapshot(Snapshot(Gpu()));

        var text = await PrometheusText.ScrapeAsync(_registry);

        var noPod = ",container=\"\",namespace=\"\",pod=\"\"}";
        Assert.Contains("DCGM_FI_DEV_FB_USED{" + Labels + noPod + " 2048", text, StringComparison.Ordinal);
        Assert.Contains("DCGM_FI_DEV_FB_FREE{" + Labels + noPod + " 79872", text, StringComparison.Ordinal);
        Assert.Contains("DCGM_FI_DEV_GPU_UTIL{" + Labels + noPod + " 41", text, StringComparison.Ordinal);
        Assert.Contains("DCGM_FI_DEV_POWER_USAGE{" + Labels + noPod + " 301.5", text, StringComparison.Ordinal);
        Assert.Contains("DCGM_FI_DEV_GPU_TEMP{" + Labels + noPod + " 51", text, StringComparison.Ordinal);
        Assert.Contains("DCGM_FI_DEV_XID_ERRORS{" + Labels + noPod + " 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnSnapshot_AbsentReadings_WritesNoSeriesForThem()
    {
        var gpu = Gpu();
        gpu.ClearGpuUtilizationPercent();
        gpu.ClearPowerMilliwatts();

        _metrics.OnSnapshot(Snapshot(gpu));
        var text = await PrometheusText.ScrapeAsync(_registry);

        Assert.Empty(PrometheusText.Series(text, "DCGM_FI_DEV_GPU_UTIL"));
        Assert.Empty(PrometheusText.Series(text, "DCGM_FI_DEV_POWER_USAGE"));
        Assert.Single(PrometheusText.Series(text, "DCGM_FI_DEV_FB_USED"));
    }

    [Fact]
    public async Task OnSnapshot_DeviceGone_RemovesItsSeries()
    {
        _metrics.OnSnapshot(Snapshot(Gpu()));
        _metrics.OnSnapshot(Snapshot());

        var text = await PrometheusText.ScrapeAsync(_registry);

        Assert.Empty(PrometheusText.Series(text, "DCGM_FI_DEV_FB_USED"));
    }

    [Fact]
    public async Task OnSnapshot_TwoPodsShareGpu_WritesOneSeriesPerPod()
    {
        var gpu = Gpu();
        gpu.Pods.Add(new PodRef { Namespace = "ml", Pod = "a", Container = "c" });
        gpu.Pods.Add(new PodRef { Namespace = "ml", Pod = "b", Container = "c" });

        _metrics.OnSnapshot(Snapshot(gpu));
        var series = PrometheusText.Series(await PrometheusText.ScrapeAsync(_registry), "DCGM_FI_DEV_FB_USED");

        Assert.Equal(2, series.Length);
        Assert.Contains(series, s => s.Contains("container=\"c\",namespace=\"ml\",pod=\"a\"", StringComparison.Ordinal));
        Assert.Contains(series, s => s.Contains("pod=\"b\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnSnapshot_MigDevice_WritesGpuInstanceLabels()
    {
        var gpu = Gpu();
        gpu.MigDevices.Add(new MigDevice { Uuid = "MIG-1", Name = "NVIDIA H100 MIG 1g.10gb", GpuInstanceId = 9, MemoryUsedBytes = 1UL << 30, MemoryFreeBytes = 9UL << 30 });

        _metrics.OnSnapshot(Snapshot(gpu));
        var series = PrometheusText.Series(await PrometheusText.ScrapeAsync(_registry), "DCGM_FI_DEV_FB_USED");

        Assert.Contains(series, s => s.Contains("GPU_I_PROFILE=\"1g.10gb\",GPU_I_ID=\"9\"", StringComparison.Ordinal) && s.EndsWith(" 1024", StringComparison.Ordinal));
    }

    private static NodeSnapshot Snapshot(params GpuDevice[] devices) => new() { NodeName = "node-a", NvmlUp = true, Devices = { devices } };

    private static GpuDevice Gpu() => new()
    {
        Index = 0,
        Uuid = "GPU-a",
        Name = "NVIDIA H100",
        PciBusId = "00000000:17:00.0",
        MemoryTotalBytes = 80UL << 30,
        MemoryUsedBytes = 2UL << 30,
        MemoryFreeBytes = 78UL << 30,
        GpuUtilizationPercent = 41,
        MemoryUtilizationPercent = 20,
        TemperatureCelsius = 51,
        PowerMilliwatts = 301_500,
        Health = new DeviceHealth { Healthy = true },
    };
}
