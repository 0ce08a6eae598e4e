using AiSidecar.GpuAgent.Nvml;
using AiSidecar.GpuAgent.Sampling;
using AiSidecar.GpuAgent.Tests.Fakes;
using AiSidecar.Testing;

namespace AiSidecar.GpuAgent.Tests.Sampling;

/// <summary>XID registration, attribution and the watcher thread's interplay with nvmlShutdown.</summary>
public sealed class XidWatcherTests
{
    private static readonly Dictionary<string, string?> ShortTimeout = new() { ["GpuAgent:Nvml:CallTimeout"] = "00:00:00.500" };

    [Fact]
    public async Task SampleOnce_RegisterEventsUnknown_RecreatesSetAndWatchesOtherGpus()
    {
        FakeNvml.ResetWithGpus(2);
        FakeNvml.SetError(0, FakeField.Register, (int)NvmlReturn.Unknown);
        await using var agent = new AgentServices();
        await agent.SampleAsync();

        Assert.Equal(0, FakeNvml.PushXid(0, 79)); // Left out of the recreated set.
        Assert.Equal(1, FakeNvml.PushXid(1, 79));
        await XidWaits.ForDevicesAsync(agent.Get<XidTracker>(), 1);
        var snapshot = await agent.SampleAsync();

        Assert.Equal(["xid_79"], snapshot.Devices[1].Health.Reasons);
        Assert.True(snapshot.Devices[0].Health.Healthy);
    }

    [Fact]
    public async Task SampleOnce_XidOnGpuWhoseUuidWasUnreadableAtStart_AttributedByIndex()
    {
        FakeNvml.ResetWithGpus(3);
        FakeNvml.SetError(1, FakeField.Uuid, (int)NvmlReturn.Unknown);
        FakeNvml.SetError(2, FakeField.Uuid, (int)NvmlReturn.Unknown);
        await using var agent = new AgentServices();
        await agent.SampleAsync();
        FakeNvml.SetError(1, FakeField.Uuid, 0);
        FakeNvml.SetError(2, FakeField.Uuid, 0);
        await agent.SampleAsync();

        Assert.Equal(1, FakeNvml.PushXid(1, 79));
        await XidWaits.ForDevicesAsync(agent.Get<XidTracker>(), 1);
        var snapshot = await agent.SampleAsync();

        var gpu = snapshot.Devices[1];
        Assert.Equal(FakeNvml.Uuid(1), gpu.Uuid);
        Assert.False(gpu.Health.Healthy);
        Assert.Equal(["xid_79"], gpu.Health.Reasons);
        Assert.True(snapshot.Devices[2].Health.Healthy);
        Assert.Equal(0ul, snapshot.Devices[2].Health.LastXid);
    }

    [Fact]
    public async Task SampleOnce_XidOnMigInstance_ReasonNamesMatchingGpuAndComputeInstance()
    {
        FakeNvml.ResetWithGpus(2);
        var mig = FakeNvml.AddMig(0, "MIG-aaaa", "NVIDIA H100 80GB HBM3 MIG 1g.10gb", 9, 0, 10 * FakeNvml.GiB, FakeNvml.GiB);
        FakeNvml.AddMig(0, "MIG-bbbb", "NVIDIA H100 80GB HBM3 MIG 3g.40gb", 2, 0, 40 * FakeNvml.GiB, 0);
        await using var agent = new AgentServices();
        await agent.SampleAsync();

        Assert.Equal(1, FakeNvml.PushXid(mig, 79));
        await XidWaits.ForDevicesAsync(agent.Get<XidTracker>(), 0);
        var snapshot = await agent.SampleAsync();

        var health = snapshot.Devices[0].Health;
        Assert.False(health.Healthy);
        Assert.Equal(["xid_79_gi9_ci0"], health.Reasons);
        Assert.Equal((79ul, 1u), (health.LastXid, health.XidCount));
        Assert.True(snapshot.Devices[1].Health.Healthy);
    }

    [Fact]
    public async Task SampleOnce_XidRegistrationHangs_FirstSampleBoundedByCallTimeout()
    {
        FakeNvml.ResetWithGpus(2);
        FakeNvml.SetHang(0, FakeField.Events, FakeNvml.HangCap);
        var clock = new WaitedClock();
        var agent = new AgentServices(ShortTimeout, clock);
        var watcher = agent.Get<XidWatcher>();
        var inits = FakeNvml.InitCount();

        var sampling = agent.SampleAsync();
        Assert.Equal(1, await FakeNvml.WaitForHungAsync(1)); // XID setup is stuck inside NVML...

        // ...and the sampler waits for it on the clock. Other timers may be pending too, and on a busy machine the wait
        // may start after any given one, so the clock is moved on until the sample is out (the hang outlasts this).
        while (!sampling.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMilliseconds(500));
            await Task.WhenAny(sampling, Task.Delay(10));
        }

        var snapshot = await sampling;
        var stillHung = FakeNvml.Hung();
        FakeNvml.SetHang(0, FakeField.Events, 0);
        FakeNvml.ReleaseHangs();
        await agent.DisposeAsync();
        await WaitForShutdownAsync(watcher, inits);

        Assert.Equal(1, stillHung);
        Assert.True(snapshot.NvmlUp);
        Assert.Equal(2, snapshot.Devices.Count);
        Assert.Equal(0, FakeNvml.ShutdownsUnderWait());
    }

    [Fact]
    public async Task StopAsync_XidThreadStuckInEventWait_DefersShutdownUntilItReturns()
    {
        FakeNvml.ResetWithGpus(1);
        var clock = new WaitedClock();
        var agent = new AgentServices(ShortTimeout, clock);
        await agent.SampleAsync();
        var watcher = agent.Get<XidWatcher>();
        var inits = FakeNvml.InitCount();
        FakeNvml.SetEventWaitHang(FakeNvml.HangCap);
        Assert.Equal(1, await FakeNvml.WaitForHungAsync(1)); // The watcher's next wait slice is now blocked inside the fake.

        var stopping = agent.Sampler.StopAsync(CancellationToken.None);
        await clock.WaitForPendingTimersAsync(1);
        clock.Advance(watcher.StopTimeout);
        await stopping;
        var initsAfterStop = FakeNvml.InitCount();
        FakeNvml.SetEventWaitHang(0);
        FakeNvml.ReleaseHangs();
        await WaitForShutdownAsync(watcher, inits - 1);
        await agent.DisposeAsync();

        Assert.Equal(inits, initsAfterStop);
        Assert.Equal(0, FakeNvml.ShutdownsUnderWait());
        Assert.Equal(inits - 1, FakeNvml.InitCount());
    }

    /// <summary>Waits for the XID thread to leave NVML and for the deferred nvmlShutdown, so nothing leaks into the next test.</summary>
    private static async Task WaitForShutdownAsync(XidWatcher watcher, int expectedInits)
    {
        await watcher.Exited.WaitAsync(TimeSpan.FromSeconds(60));
        await Until.TrueAsync(() => FakeNvml.InitCount() <= expectedInits, "the deferred nvmlShutdown");
    }
}
