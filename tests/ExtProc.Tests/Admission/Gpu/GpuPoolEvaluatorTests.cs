using AiSidecar.ExtProc.Admission.Gpu;
using AiSidecar.GpuAgent.Api.V1;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Admission.Gpu;

/// <summary>Pool selection and sums over fleet snapshots built from agent updates.</summary>
public sealed class GpuPoolEvaluatorTests
{
    private const ulong GiB = 1UL << 30;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly GpuFleet _fleet;

    public GpuPoolEvaluatorTests()
    {
        _fleet = new GpuFleet(_clock);
        _fleet.SetAgents(new HashSet<string>(["10.0.0.1:50052", "10.0.0.2:50052", "10.0.0.3:50052"]));
        // Node a (pool a100): GPU 0 serves llm/vllm-large-0, GPU 1 serves llm/other-0 and is hot, GPU 2 has no pod.
        _fleet.Received("10.0.0.1:50052", Node("node-a", "a100",
            Gpu(0, free: 10, pods: [("llm", "vllm-large-0")]),
            Gpu(1, free: 20, pods: [("llm", "other-0")], health: Thermal()),
            Gpu(2, free: 30)));
        _clock.Advance(TimeSpan.FromSeconds(1));
        // Node b (pool a100): GPU 0 lost while serving vllm-large-1; GPU 1 serves vllm-large-2 in another namespace.
        _fleet.Received("10.0.0.2:50052", Node("node-b", "a100",
            Gpu(0, free: 40, pods: [("llm", "vllm-large-1")], health: new DeviceHealth { Lost = true, Reasons = { "gpu_lost" } }),
            Gpu(1, free: 50, pods: [("test", "vllm-large-2")])));
        _clock.Advance(TimeSpan.FromSeconds(1));
        // Node c (pool h100): MIG GPU; one instance serves vllm-large-3.
        var mig = Gpu(0, free: 60);
        mig.MigDevices.Add(new MigDevice { Uuid = "MIG-c0-1", Name = "1g.10gb", MemoryTotalBytes = 10 * GiB, MemoryFreeBytes = 7 * GiB, Pods = { new PodRef { Namespace = "llm", Pod = "vllm-large-3", Container = "vllm" } } });
        mig.MigDevices.Add(new MigDevice { Uuid = "MIG-c0-2", Name = "1g.10gb", MemoryTotalBytes = 10 * GiB, MemoryFreeBytes = 9 * GiB });
        _fleet.Received("10.0.0.3:50052", Node("node-c", "h100", mig));
    }

    [Fact]
    public void Evaluate_PodGlobAndNamespace_SelectsTheGpusAndMigDevicesCarryingThem()
    {
        var state = _fleet.Evaluate(new PoolGpuOptions { Namespace = "llm", Pods = "vllm-large-*" });

        Assert.Equal((3, 2), (state.Matched, state.Healthy)); // a/0, b/0 (lost), c/MIG-c0-1.
        Assert.Equal(["gpu_lost"], state.UnhealthyReasons);
        Assert.Equal((long)(10 * GiB + 7 * GiB), state.FreeMemoryBytes); // Healthy devices only.
        Assert.Equal((long)(80 * GiB + 10 * GiB), state.TotalMemoryBytes);
        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromSeconds(2), state.OldestUpdate);
        Assert.False(state.AnyDisconnected);
    }

    [Fact]
    public void Evaluate_PodsWithoutNamespace_MatchesEveryNamespace()
    {
        var state = _fleet.Evaluate(new PoolGpuOptions { Pods = "vllm-large-?" });

        Assert.Equal(4, state.Matched);
    }

    [Fact]
    public void Evaluate_NodeLabelsOnly_SelectsEveryGpuOfTheMatchingAgents()
    {
        var state = _fleet.Evaluate(new PoolGpuOptions { NodeLabels = { ["pool"] = "a100" } });

        Assert.Equal((5, 3), (state.Matched, state.Healthy));
        Assert.Equal(["gpu_lost", "thermal_slowdown"], state.UnhealthyReasons);
        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromSeconds(2), state.OldestUpdate);
    }

    [Fact]
    public void Evaluate_LabelsAndPods_EachPartMustMatch()
    {
        Assert.Equal(2, _fleet.Evaluate(new PoolGpuOptions { Namespace = "llm", Pods = "vllm-large-*", NodeLabels = { ["pool"] = "a100" } }).Matched);
        Assert.Equal(PoolGpuState.None, _fleet.Evaluate(new PoolGpuOptions { Pods = "vllm-large-*", NodeLabels = { ["pool"] = "v100" } }));
        Assert.Equal(PoolGpuState.None, _fleet.Evaluate(new PoolGpuOptions { Pods = "vllm-large-*", NodeLabels = { ["pool"] = "a100", ["zone"] = "b" } }));
    }

    [Fact]
    public void Evaluate_EmptySelector_SelectsNothing()
    {
        Assert.Equal(PoolGpuState.None, _fleet.Evaluate(new PoolGpuOptions()));
    }

    [Fact]
    public void Evaluate_ContributingAgentDisconnected_SaysSoAndKeepsItsGpus()
    {
        var before = _fleet.Current.Version;

        _fleet.Disconnected("10.0.0.3:50052");

        Assert.True(_fleet.Current.Version > before);
        var state = _fleet.Evaluate(new PoolGpuOptions { Namespace = "llm", Pods = "vllm-large-*" });
        Assert.True(state.AnyDisconnected);
        Assert.Equal(3, state.Matched);
        Assert.False(_fleet.Evaluate(new PoolGpuOptions { NodeLabels = { ["pool"] = "a100" } }).AnyDisconnected);
    }

    [Fact]
    public void Evaluate_LabelledAgentWithNvmlDown_ReportsNvmlDown()
    {
        _fleet.Received("10.0.0.3:50052", new NodeSnapshot { NodeName = "node-c", PoolLabels = { ["pool"] = "h100" }, NvmlUp = false });

        var state = _fleet.Evaluate(new PoolGpuOptions { NodeLabels = { ["pool"] = "h100" } });

        Assert.Equal((0, 0), (state.Matched, state.Healthy));
        Assert.Equal([GpuPoolEvaluator.NvmlDownReason], state.UnhealthyReasons);
        Assert.Equal(_clock.GetUtcNow(), state.OldestUpdate);
    }

    [Fact]
    public void SetAgents_AgentDropped_RemovesItsGpusAndIgnoresItsLateUpdates()
    {
        _fleet.SetAgents(new HashSet<string>(["10.0.0.1:50052", "10.0.0.2:50052"]));
        var version = _fleet.Current.Version;

        _fleet.Received("10.0.0.3:50052", Node("node-c", "h100", Gpu(0, free: 1)));

        Assert.Equal(version, _fleet.Current.Version);
        Assert.Equal(PoolGpuState.None, _fleet.Evaluate(new PoolGpuOptions { NodeLabels = { ["pool"] = "h100" } }));
    }

    [Fact]
    public void Received_SameLabelsAgain_KeepsTheLabelMapAndTakesTheNewReadings()
    {
        var before = _fleet.Current.Agents["10.0.0.3:50052"].Node!;

        _fleet.Received("10.0.0.3:50052", Node("node-c", "h100", Gpu(0, free: 1)));
        var same = _fleet.Current.Agents["10.0.0.3:50052"].Node!;
        _fleet.Received("10.0.0.3:50052", Node("node-c", "h200", Gpu(0, free: 2)));
        var relabelled = _fleet.Current.Agents["10.0.0.3:50052"].Node!;

        Assert.Same(before.PoolLabels, same.PoolLabels);
        Assert.Equal((long)GiB, same.Devices[0].MemoryFreeBytes);
        Assert.Equal("h200", relabelled.PoolLabels["pool"]);
        Assert.Equal(PoolGpuState.None, _fleet.Evaluate(new PoolGpuOptions { NodeLabels = { ["pool"] = "h100" } }));
    }

    [Fact]
    public void Received_HealthyFlagWithSlowdown_CountsAsUnhealthy()
    {
        Assert.False(GpuNodeReader.IsHealthy(new DeviceHealth { Healthy = true, PowerSlowdown = true }));
        Assert.False(GpuNodeReader.IsHealthy(new DeviceHealth { Healthy = true, ThermalSlowdown = true }));
        Assert.True(GpuNodeReader.IsHealthy(new DeviceHealth { Healthy = true, ThermalSlowdown = false, PowerSlowdown = false }));
        Assert.False(GpuNodeReader.IsHealthy(new DeviceHealth { Healthy = false, Reasons = { "nvml_timeout" } }));
    }

    [Theory]
    [InlineData("vllm-*", "vllm-large-0", true)]
    [InlineData("vllm-*-0", "vllm-large-0", true)]
    [InlineData("vllm-*-0", "vllm-large-1", false)]
    [InlineData("vllm-large-?", "vllm-large-10", false)]
    [InlineData("*", "", true)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("vllm", "vllm-large", false)]
    [InlineData("VLLM-*", "vllm-large", false)]
    public void GlobMatches_Patterns_MatchAsShellGlobs(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, GpuPoolEvaluator.GlobMatches(pattern, text));
    }

    private static NodeSnapshot Node(string name, string pool, params GpuDevice[] gpus)
    {
        var node = new NodeSnapshot { NodeName = name, PoolLabels = { ["pool"] = pool }, NvmlUp = true };
        node.Devices.AddRange(gpus);
        return node;
    }

    private static GpuDevice Gpu(uint index, ulong free, (string Namespace, string Pod)[]? pods = null, DeviceHealth? health = null)
    {
        var gpu = new GpuDevice
        {
            Index = index,
            Uuid = $"GPU-{index}",
            Name = "NVIDIA A100-SXM4-80GB",
            MemoryTotalBytes = 80 * GiB,
            MemoryFreeBytes = free * GiB,
            MemoryUsedBytes = (80 - free) * GiB,
            Health = health ?? new DeviceHealth { Healthy = true },
        };
        gpu.Pods.AddRange((pods ?? []).Select(p => new PodRef { Namespace = p.Namespace, Pod = p.Pod, Container = "vllm" }));
        return gpu;
    }

    private static DeviceHealth Thermal() => new() { Healthy = true, ThermalSlowdown = true, Reasons = { "thermal_slowdown" } };
}
