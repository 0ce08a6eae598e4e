using AiSidecar.GpuAgent.Tests.Fakes;
using AiSidecar.GpuAgent.Tests.Metrics;
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
        Assert.Equal((80 * FakeNvml.GiB, 2 * FakeNvml.GiB, 78 * FakeNvml.GiB), (gpu.MemoryTotalBytes, gpu.MemoryUsedBytes, gpu.MemoryFreeBytes));
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
        var metrics = await MetricsText.ExportAsync(_agent.Get<CollectorRegistry>());

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
        Assert.Equal(9 * FakeNvml.GiB, snapshot.Devices[1].MemoryUsedBytes);
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
    }

    [Fact]
    public async Task SampleOnce_ThermalSlowdown_ReportsThermalReason()
    {
        FakeNvml.SetClockReasons(1, 0x40);

        var gpu = (await _agent.SampleAsync()).Devices[1];

        Assert.True(gpu.Health.ThermalSlowdown);
        Assert.Contains("thermal_slowdown", gpu.Health.Reasons);
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
