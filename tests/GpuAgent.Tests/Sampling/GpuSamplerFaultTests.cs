using AiSidecar.GpuAgent.Sampling;
using AiSidecar.GpuAgent.Tests.Fakes;

namespace AiSidecar.GpuAgent.Tests.Sampling;

public sealed class GpuSamplerFaultTests
{
    [Fact]
    public async Task SampleOnce_NoLibrary_PublishesEmptySnapshotWithNvmlDown()
    {
        await using var agent = new AgentServices(new Dictionary<string, string?> { ["GpuAgent:Nvml:LibraryPath"] = "/nonexistent/libnvidia-ml.so.1" });

        var snapshot = await agent.SampleAsync();

        Assert.False(snapshot.NvmlUp);
        Assert.Equal("NVML_ERROR_LIBRARY_NOT_FOUND", snapshot.NvmlError);
        Assert.Empty(snapshot.Devices);
        Assert.Equal("node-a", snapshot.NodeName);
    }

    [Fact]
    public async Task SampleOnce_DriverNotLoadedThenLoaded_RecoversAfterRetryInterval()
    {
        FakeNvml.ResetWithGpus(1);
        FakeNvml.SetInitResult(9);
        var clock = new WaitedClock();
        await using var agent = new AgentServices(new Dictionary<string, string?> { ["GpuAgent:Nvml:InitRetryInterval"] = "00:00:00.100" }, clock);

        var down = await agent.SampleAsync();
        FakeNvml.SetInitResult(0);
        var beforeRetry = await agent.SampleAsync();
        clock.Advance(TimeSpan.FromMilliseconds(100));
        var up = await agent.SampleAsync();

        Assert.Equal("NVML_ERROR_DRIVER_NOT_LOADED", down.NvmlError);
        Assert.Equal("NVML_ERROR_DRIVER_NOT_LOADED", beforeRetry.NvmlError);
        Assert.True(up.NvmlUp);
        Assert.Single(up.Devices);
    }

    [Fact]
    public async Task SampleOnce_InitHangs_ReportsNvmlDownWithoutBlockingThenPicksUpTheLateInit()
    {
        FakeNvml.ResetWithGpus(1);
        FakeNvml.SetInitHang(FakeNvml.HangCap);
        var clock = new WaitedClock();
        await using var agent = new AgentServices(new Dictionary<string, string?> { ["GpuAgent:Nvml:CallTimeout"] = "00:00:00.500" }, clock);

        var sampling = agent.SampleAsync();
        Assert.Equal(1, await FakeNvml.WaitForHungAsync(1));
        await clock.WaitForPendingTimersAsync(1);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        var snapshot = await sampling;
        var stillHung = FakeNvml.Hung();
        FakeNvml.SetInitHang(0);
        FakeNvml.ReleaseHangs();
        var late = await agent.SampleAsync();

        Assert.Equal(1, stillHung);
        Assert.False(snapshot.NvmlUp);
        Assert.Equal("NVML_INIT_TIMEOUT", snapshot.NvmlError);
        Assert.Empty(snapshot.Devices);
        Assert.True(late.NvmlUp);
        Assert.Single(late.Devices);
    }

    [Fact]
    public async Task SampleOnce_DeviceHangs_ReportsTimeoutAndSamplesOthers()
    {
        FakeNvml.ResetWithGpus(3);
        var clock = new WaitedClock();
        await using var agent = new AgentServices(new Dictionary<string, string?> { ["GpuAgent:Nvml:CallTimeout"] = "00:00:01" }, clock);
        await agent.SampleAsync();
        FakeNvml.SetHang(1, FakeField.Memory, FakeNvml.HangCap);
        FakeNvml.SetError(1, FakeField.MemoryV2, 3);

        var sampling = agent.SampleAsync();
        Assert.Equal(1, await FakeNvml.WaitForHungAsync(1));
        await clock.WaitForPendingTimersAsync(1);
        var devices = agent.Sampler.Inventory!;
        await Task.WhenAll(devices[0].InFlight!, devices[2].InFlight!);
        clock.Advance(TimeSpan.FromSeconds(1));
        var snapshot = await sampling;
        FakeNvml.SetHang(1, FakeField.Memory, 0);
        FakeNvml.ReleaseHangs();

        Assert.Equal(["nvml_timeout"], snapshot.Devices[1].Health.Reasons);
        Assert.False(snapshot.Devices[1].Health.Healthy);
        Assert.Equal(FakeNvml.Uuid(1), snapshot.Devices[1].Uuid);
        Assert.Empty(snapshot.Devices[0].Health.Reasons);
        Assert.True(snapshot.Devices[2].HasMemoryUsedBytes);
    }

    [Fact]
    public async Task SampleOnce_GpuLostBeforeStart_ListsItByIndexAsLost()
    {
        FakeNvml.ResetWithGpus(2);
        FakeNvml.SetLost(0, 1);
        await using var agent = new AgentServices();

        var snapshot = await agent.SampleAsync();

        Assert.True(snapshot.NvmlUp);
        Assert.Equal((0u, true, false), (snapshot.Devices[0].Index, snapshot.Devices[0].Health.Lost, snapshot.Devices[0].Health.Healthy));
        Assert.Equal(FakeNvml.Uuid(1), snapshot.Devices[1].Uuid);
        Assert.True(snapshot.Devices[1].Health.Healthy);
    }

    [Fact]
    public async Task SampleOnce_CriticalXid_MarksDeviceUnhealthy()
    {
        FakeNvml.ResetWithGpus(2);
        await using var agent = new AgentServices();
        await agent.SampleAsync();

        Assert.Equal(1, FakeNvml.PushXid(1, 79));
        Assert.Equal(1, FakeNvml.PushXid(0, 13));
        await XidWaits.ForDevicesAsync(agent.Get<XidTracker>(), 1, 0);
        var snapshot = await agent.SampleAsync();

        var critical = snapshot.Devices[1].Health;
        Assert.False(critical.Healthy);
        Assert.Equal((79ul, 1u), (critical.LastXid, critical.XidCount));
        Assert.Contains("xid_79", critical.Reasons);
        var application = snapshot.Devices[0].Health;
        Assert.True(application.Healthy);
        Assert.Equal(13ul, application.LastXid);
    }
}
