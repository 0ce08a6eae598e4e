using AiSidecar.GpuAgent.Tests.Fakes;
using AiSidecar.Testing;
using Prometheus;

namespace AiSidecar.GpuAgent.Tests.Sampling;

public sealed class GpuSamplerTests : IDisposable
{
    private readonly AgentServices _agent;

    public GpuSamplerTests()
    {
        FakeNvml.ResetWithGpus(2);
        _agent = new AgentServices();
    }

    public void Dispose() => _agent.Dispose();

    [Fact]
    public async Task SampleOnce_TwoGpus_PublishesReadingsWithNodeIdentity()
    {
        var snapshot = await _agent.SampleAsync();

        Assert.True(snapshot.NvmlUp);
        Assert.Equal("node-a", snapshot.NodeName);
        Assert.Equal("h100", snapshot.PoolLabels["pool"]);
        Assert.Equal(1ul, snapshot.Sequence);
        Assert.Equal(2, snapshot.Devices.Count);
        var gpu = snapshot.Devices[1];
        Assert.Equal((1u, FakeNvml.Uuid(1), "NVIDIA H100 80GB HBM3", "00000000:18:00.0"), (gpu.Index, gpu.Uuid, gpu.Name, gpu.PciBusId));
        var used = (2 * FakeNvml.GiB) + FakeNvml.Reserved80; // used = total - free: reserved included, as nvidia-smi shows it.
        Assert.Equal((80 * FakeNvml.GiB, used, (80 * FakeNvml.GiB) - used), (gpu.MemoryTotalBytes, gpu.MemoryUsedBytes, gpu.MemoryFreeBytes));
        Assert.Equal(FakeNvml.Reserved80, gpu.MemoryReservedBytes);
        Assert.Equal((41u, 20u, 51, 301_000u), (gpu.GpuUtilizationPercent, gpu.MemoryUtilizationPercent, gpu.TemperatureCelsius, gpu.PowerMilliwatts));
        Assert.Equal(4001u, Assert.Single(gpu.Processes).Pid);
        Assert.False(gpu.MigEnabled);
        Assert.True(gpu.Health.Healthy);
        Assert.False(gpu.Health.ThermalSlowdown);
    }

    [Fact]
    public async Task SampleOnce_NotSupportedPower_ReportsFieldAbsentNotZero()
    {
        FakeNvml.SetError(0, FakeField.Power, 3);

        var gpu = (await _agent.SampleAsync()).Devices[0];

        Assert.False(gpu.HasPowerMilliwatts);
        Assert.True(gpu.HasTemperatureCelsius);
        Assert.True(gpu.Health.Healthy);
    }

    [Fact]
    public async Task SampleOnce_FieldNoPermission_FieldAbsentAndErrorCounted()
    {
        FakeNvml.SetError(1, FakeField.Temperature, 4);

        var gpu = (await _agent.SampleAsync()).Devices[1];
        var metrics = await PrometheusText.ScrapeAsync(_agent.Get<CollectorRegistry>());

        Assert.False(gpu.HasTemperatureCelsius);
        Assert.True(gpu.Health.Healthy);
        Assert.Contains("gpu_agent_nvml_errors_total{function=\"nvmlDeviceGetTemperatureV\",error=\"NVML_ERROR_NO_PERMISSION\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SampleOnce_GpuLostMidRun_ReportsItUnhealthyAndKeepsSamplingOthers()
    {
        await _agent.SampleAsync();
        FakeNvml.SetLost(0, 1);
        FakeNvml.SetMemoryUsed(1, 9 * FakeNvml.GiB);

        var snapshot = await _agent.SampleAsync();

        var lost = snapshot.Devices[0];
        Assert.Equal(FakeNvml.Uuid(0), lost.Uuid);
        Assert.False(lost.Health.Healthy);
        Assert.True(lost.Health.Lost);
        Assert.Equal(["gpu_lost"], lost.Health.Reasons);
        Assert.False(lost.HasMemoryUsedBytes);
        Assert.True(snapshot.Devices[1].Health.Healthy);
        Assert.Equal((9 * FakeNvml.GiB) + FakeNvml.Reserved80, snapshot.Devices[1].MemoryUsedBytes);
    }

    [Fact]
    public async Task SampleOnce_MigEnabledGpu_ReportsUtilizationAbsentAndMigChildren()
    {
        var mig = FakeNvml.AddMig(0, "MIG-11112222", "NVIDIA H100 80GB HBM3 MIG 1g.10gb", 9, 0, 10 * FakeNvml.GiB, 3 * FakeNvml.GiB);
        FakeNvml.AddProcess(mig, 555, FakeNvml.GiB);

        var gpu = (await _agent.SampleAsync()).Devices[0];

        Assert.True(gpu.MigEnabled);
        Assert.False(gpu.HasGpuUtilizationPercent);
        Assert.False(gpu.HasMemoryUtilizationPercent);
        var child = Assert.Single(gpu.MigDevices);
        Assert.Equal(("MIG-11112222", 9u, 3 * FakeNvml.GiB), (child.Uuid, child.GpuInstanceId, child.MemoryUsedBytes));
        Assert.Equal((555u, 9u), (Assert.Single(child.Processes).Pid, child.Processes[0].GpuInstanceId));
        Assert.Empty(gpu.Processes);
    }

    [Fact]
    public async Task SampleOnce_MigEnabledGpu_ListsEachProcessOnceUnderItsInstance()
    {
        // NVML returns the aggregate of every MIG instance on the GPU handle; querying the instances again double-counts.
        var first = FakeNvml.AddMig(0, "MIG-aaaa", "NVIDIA H100 80GB HBM3 MIG 1g.10gb", 9, 0, 10 * FakeNvml.GiB, FakeNvml.GiB);
        var second = FakeNvml.AddMig(0, "MIG-bbbb", "NVIDIA H100 80GB HBM3 MIG 3g.40gb", 2, 0, 40 * FakeNvml.GiB, 0);
        FakeNvml.AddProcess(first, 555, FakeNvml.GiB);
        FakeNvml.AddProcess(second, 666, FakeNvml.GiB);
        FakeNvml.AddProcess(second, 667, FakeNvml.GiB);

        var gpu = (await _agent.SampleAsync()).Devices[0];

        var all = gpu.Processes.Concat(gpu.MigDevices.SelectMany(m => m.Processes)).Select(p => p.Pid).Order();
        Assert.Equal([555u, 666u, 667u], all);
        Assert.Empty(gpu.Processes);
        Assert.Equal([555u], gpu.MigDevices.Single(m => m.GpuInstanceId == 9).Processes.Select(p => p.Pid));
        Assert.Equal([666u, 667u], gpu.MigDevices.Single(m => m.GpuInstanceId == 2).Processes.Select(p => p.Pid));
    }

    [Fact]
    public async Task SampleOnce_MigAggregateRefused_ReadsEachInstanceInstead()
    {
        var mig = FakeNvml.AddMig(0, "MIG-aaaa", "NVIDIA H100 80GB HBM3 MIG 1g.10gb", 9, 0, 10 * FakeNvml.GiB, FakeNvml.GiB);
        FakeNvml.AddProcess(mig, 555, FakeNvml.GiB);
        FakeNvml.SetError(0, FakeField.Processes, 4); // NO_PERMISSION on the GPU handle only.

        var gpu = (await _agent.SampleAsync()).Devices[0];

        Assert.Empty(gpu.Processes);
        Assert.Equal(555u, Assert.Single(Assert.Single(gpu.MigDevices).Processes).Pid);
    }

    [Fact]
    public async Task SampleOnce_ThermalSlowdown_ReportsThermalReason()
    {
        FakeNvml.SetClockReasons(1, 0x40);

        var gpu = (await _agent.SampleAsync()).Devices[1];

        Assert.True(gpu.Health.ThermalSlowdown);
        Assert.Contains("thermal_slowdown", gpu.Health.Reasons);
    }

    [Theory]
    [InlineData(0x80ul)] // HW power brake.
    [InlineData(0x08ul)] // HW slowdown without HW thermal slowdown.
    [InlineData(0x84ul)] // HW power brake while at the software power cap.
    public async Task SampleOnce_HardwarePowerSlowdown_ReportsPowerReason(ulong reasons)
    {
        FakeNvml.SetClockReasons(1, reasons);

        var gpu = (await _agent.SampleAsync()).Devices[1];

        Assert.True(gpu.Health.PowerSlowdown);
        Assert.Contains("power_slowdown", gpu.Health.Reasons);
        Assert.False(gpu.Health.ThermalSlowdown);
    }

    [Theory]
    [InlineData(0x04ul)] // Software power cap: a busy GPU at its power limit.
    [InlineData(0x05ul)] // The same while idle.
    [InlineData(0x48ul)] // HW slowdown explained by HW thermal slowdown: reported as thermal only.
    public async Task SampleOnce_SoftwarePowerCapOrThermalHwSlowdown_ReportsNoPowerReason(ulong reasons)
    {
        FakeNvml.SetClockReasons(1, reasons);

        var gpu = (await _agent.SampleAsync()).Devices[1];

        Assert.False(gpu.Health.PowerSlowdown);
        Assert.True(gpu.Health.HasPowerSlowdown);
        Assert.DoesNotContain("power_slowdown", gpu.Health.Reasons);
    }

    [Fact]
    public async Task SampleOnce_UnchangedReadings_KeepsContentVersion()
    {
        var first = await _agent.SampleAsync();
        var second = await _agent.SampleAsync();
        FakeNvml.SetMemoryUsed(0, 5 * FakeNvml.GiB);
        var third = await _agent.SampleAsync();

        Assert.Equal((1ul, 2ul, 3ul), (first.Sequence, second.Sequence, third.Sequence));
        Assert.Equal(first.ContentVersion, second.ContentVersion);
        Assert.Equal(first.ContentVersion + 1, third.ContentVersion);
    }
}
