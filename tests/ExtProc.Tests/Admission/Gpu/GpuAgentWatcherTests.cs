using AiSidecar.ExtProc.Admission.Gpu;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.GpuAgent.Tests.Fakes;

namespace AiSidecar.ExtProc.Tests.Admission.Gpu;

/// <summary>The watcher against real GPU agents on the fake NVML library, over loopback gRPC.</summary>
[Collection(FakeNvmlGroup.Name)]
public sealed class GpuAgentWatcherTests
{
    private static readonly PoolGpuOptions H100Pool = new() { NodeLabels = { ["pool"] = "h100" } };

    public GpuAgentWatcherTests()
    {
        FakeNvml.ResetWithGpus(2);
    }

    [Fact]
    public async Task Watch_AgentServing_FleetShowsItsDevices()
    {
        await using var agent = await InProcessGpuAgent.StartAsync();
        await using var watcher = await GpuWatcherHarness.StartAsync(new GpuAgentsOptions { Addresses = [agent.Address] });

        var state = await watcher.UntilAgentAsync(agent.Address, a => a.Connected, "connected");

        Assert.Equal(watcher.Clock.GetUtcNow(), state.ReceivedAt);
        var node = Assert.IsType<GpuNodeState>(state.Node);
        Assert.Equal(("node-a", "h100", true), (node.NodeName, node.PoolLabels["pool"], node.NvmlUp));
        Assert.Equal([FakeNvml.Uuid(0), FakeNvml.Uuid(1)], node.Devices.Select(d => d.Uuid));
        var gpu = node.Devices[1];
        Assert.Equal((1u, "NVIDIA H100 80GB HBM3", true, 41), (gpu.Index, gpu.Name, gpu.Healthy, gpu.UtilizationPercent));
        Assert.Empty(gpu.Reasons);
        Assert.Equal((long)(80 * FakeNvml.GiB), gpu.MemoryTotalBytes);
        Assert.Equal(gpu.MemoryTotalBytes, gpu.MemoryUsedBytes + gpu.MemoryFreeBytes);
        var pool = watcher.Fleet.Evaluate(H100Pool);
        Assert.Equal((2, 2, state.ReceivedAt, false), (pool.Matched, pool.Healthy, pool.OldestUpdate, pool.AnyDisconnected));
        Assert.Empty(pool.UnhealthyReasons);
        Assert.Equal(node.Devices.Sum(d => d.MemoryFreeBytes), pool.FreeMemoryBytes);
        Assert.Equal((long)(160 * FakeNvml.GiB), pool.TotalMemoryBytes);
        var services = watcher.Services;
        Assert.Equal(1, await ScrapedMetrics.ValueAsync(services, "extproc_gpu_agents{state=\"connected\"}"));
        Assert.Equal(0, await ScrapedMetrics.ValueAsync(services, "extproc_gpu_agents{state=\"disconnected\"}"));
        Assert.Equal(2, await ScrapedMetrics.ValueAsync(services, "extproc_gpu_devices{health=\"healthy\"}"));
        Assert.True(await ScrapedMetrics.ValueAsync(services, "extproc_gpu_agent_updates_total") >= 1);
    }

    [Theory]
    [InlineData("xid", "xid_79")]
    [InlineData("lost", "gpu_lost")]
    [InlineData("thermal", "thermal_slowdown")]
    [InlineData("power brake", "power_slowdown")]
    [InlineData("hw slowdown", "power_slowdown")]
    public async Task Watch_DeviceTurnsUnhealthy_ShowsInTheNextUpdate(string fault, string reason)
    {
        await using var agent = await InProcessGpuAgent.StartAsync();
        await using var watcher = await GpuWatcherHarness.StartAsync(new GpuAgentsOptions { Addresses = [agent.Address] });
        var healthy = await watcher.UntilAgentAsync(agent.Address, a => a.Connected, "connected");
        Assert.Equal(2, watcher.Fleet.Evaluate(H100Pool).Healthy);

        await InjectAsync(agent, fault);
        await agent.SampleAsync();

        var next = await watcher.UntilAgentAsync(agent.Address, a => !ReferenceEquals(a.Node, healthy.Node), "the next update");
        var gpu = next.Node!.Devices[1];
        Assert.False(gpu.Healthy);
        Assert.Contains(reason, gpu.Reasons);
        Assert.True(next.Node.Devices[0].Healthy);
        var pool = watcher.Fleet.Evaluate(H100Pool);
        Assert.Equal((2, 1), (pool.Matched, pool.Healthy));
        Assert.Contains(reason, pool.UnhealthyReasons);
    }

    [Theory]
    [InlineData(0x04ul)] // At the software power cap: a GPU under full load.
    [InlineData(0x01ul)] // Idle.
    public async Task Watch_SoftwarePowerCap_DeviceStaysHealthy(ulong clockReasons)
    {
        await using var agent = await InProcessGpuAgent.StartAsync();
        await using var watcher = await GpuWatcherHarness.StartAsync(new GpuAgentsOptions { Addresses = [agent.Address] });
        var first = await watcher.UntilAgentAsync(agent.Address, a => a.Connected, "connected");

        FakeNvml.SetClockReasons(1, clockReasons);
        await agent.SampleAsync();

        var next = await watcher.UntilAgentAsync(agent.Address, a => !ReferenceEquals(a.Node, first.Node), "the next update");
        Assert.All(next.Node!.Devices, d => Assert.True(d.Healthy));
        Assert.Equal(2, watcher.Fleet.Evaluate(H100Pool).Healthy);
    }

    [Fact]
    public async Task Watch_AgentGoesAwayAndReturns_DisconnectedThenReconnectedAfterBackoff()
    {
        var agent = await InProcessGpuAgent.StartAsync();
        var (address, ports) = (agent.Address, agent.Ports);
        await using var watcher = await GpuWatcherHarness.StartAsync(new GpuAgentsOptions { Addresses = [address], InitialBackoffMs = 250, MaxBackoffMs = 1000 });
        var connected = await watcher.UntilAgentAsync(address, a => a.Connected, "connected");

        await agent.DisposeAsync();
        var lost = await watcher.UntilAgentAsync(address, a => !a.Connected, "disconnected");
        Assert.Same(connected.Node, lost.Node);
        Assert.True(watcher.Fleet.Evaluate(H100Pool).AnyDisconnected);
        await watcher.Clock.WaitForPendingTimersAsync(1); // The backoff delay has started.

        await using var back = await InProcessGpuAgent.StartAsync(ports: ports);
        watcher.Clock.Advance(TimeSpan.FromMilliseconds(250)); // The first delay is at most initialBackoffMs.

        var reconnected = await watcher.UntilAgentAsync(address, a => a.Connected, "reconnected");
        Assert.Equal(connected.ReceivedAt + TimeSpan.FromMilliseconds(250), reconnected.ReceivedAt);
        Assert.False(watcher.Fleet.Evaluate(H100Pool).AnyDisconnected);
    }

    [Fact]
    public async Task Watch_AgentNeverReachable_StaysDisconnectedWithoutDevices()
    {
        var ports = AiSidecar.Testing.LoopbackPorts.Pick();
        var address = $"127.0.0.1:{ports.Grpc}";
        await using var watcher = await GpuWatcherHarness.StartAsync(new GpuAgentsOptions { Addresses = [address] });

        await watcher.Clock.WaitForPendingTimersAsync(1); // Failed once, waiting to retry.

        var state = watcher.Agent(address);
        Assert.Equal(GpuAgentState.Unknown(address), state);
        Assert.Equal(PoolGpuState.None, watcher.Fleet.Evaluate(H100Pool));
    }

    [Fact]
    public async Task Watch_ServiceResolutionChanges_AddsAndDropsAgents()
    {
        await using var a = await InProcessGpuAgent.StartAsync("node-a", "127.0.0.1");
        await using var b = await InProcessGpuAgent.StartAsync("node-b", "127.0.0.2", a.Ports);
        var options = new GpuAgentsOptions { Service = $"gpu-agents.gpu.svc.cluster.local:{a.Ports.Grpc}", ResolveSeconds = 30 };
        await using var watcher = await GpuWatcherHarness.StartAsync(options, "127.0.0.1");
        await watcher.UntilAgentAsync(a.Address, s => s.Connected, "connected");
        Assert.Equal([a.Address], watcher.Fleet.Current.Agents.Keys);

        watcher.Resolver.Set("127.0.0.1", "127.0.0.2");
        await watcher.Clock.WaitForPendingTimersAsync(1); // The resolve wait.
        watcher.Clock.Advance(TimeSpan.FromSeconds(30));
        var added = await watcher.UntilAgentAsync(b.Address, s => s.Connected, "connected");
        Assert.Equal("node-b", added.Node!.NodeName);
        Assert.Equal(4, watcher.Fleet.Evaluate(H100Pool).Matched);

        watcher.Resolver.Set("127.0.0.2");
        await watcher.Clock.WaitForPendingTimersAsync(1);
        watcher.Clock.Advance(TimeSpan.FromSeconds(30));
        await AiSidecar.Testing.Until.TrueAsync(() => !watcher.Fleet.Current.Agents.ContainsKey(a.Address), "node-a dropped");

        Assert.Equal([b.Address], watcher.Fleet.Current.Agents.Keys);
        Assert.Equal(2, watcher.Fleet.Evaluate(H100Pool).Matched);
    }

    [Fact]
    public async Task Start_NoAgentConfigured_WatchesNothing()
    {
        await using var watcher = await GpuWatcherHarness.StartAsync(new GpuAgentsOptions());

        await watcher.Watcher.ExecuteTask!.WaitAsync(AiSidecar.Testing.Until.Guard);
        Assert.Same(GpuFleetSnapshot.Empty, watcher.Fleet.Current);
        Assert.Equal(0, watcher.Resolver.Calls);
    }

    private static async Task InjectAsync(InProcessGpuAgent agent, string fault)
    {
        switch (fault)
        {
            case "xid":
                Assert.Equal(1, FakeNvml.PushXid(1, 79));
                await agent.XidRecordedAsync(1);
                break;
            case "lost":
                FakeNvml.SetLost(1, 1);
                break;
            case "thermal":
                FakeNvml.SetClockReasons(1, 0x40);
                break;
            case "power brake":
                FakeNvml.SetClockReasons(1, 0x84);
                break;
            case "hw slowdown":
                FakeNvml.SetClockReasons(1, 0x08);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }
}
