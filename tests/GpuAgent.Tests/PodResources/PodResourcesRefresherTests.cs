using AiSidecar.GpuAgent.Kubelet.PodResources.V1;
using AiSidecar.GpuAgent.PodResources;
using AiSidecar.GpuAgent.Tests.Fakes;

namespace AiSidecar.GpuAgent.Tests.PodResources;

public sealed class PodResourcesRefresherTests
{
    [Fact]
    public async Task RefreshOnce_KubeletAnswers_SnapshotNamesPodsUsingEachGpu()
    {
        FakeNvml.ResetWithGpus(2);
        var response = new ListPodResourcesResponse();
        response.PodResources.Add(new Kubelet.PodResources.V1.PodResources
        {
            Namespace = "ml",
            Name = "llm-0",
            Containers = { new ContainerResources { Name = "vllm", Devices = { new ContainerDevices { ResourceName = "nvidia.com/gpu", DeviceIds = { FakeNvml.Uuid(1) } } } } },
        });
        await using var kubelet = await FakeKubelet.StartAsync(response);
        await using var agent = new AgentServices(new Dictionary<string, string?> { ["GpuAgent:PodResources:SocketPath"] = kubelet.SocketPath });

        await agent.Get<PodResourcesRefresher>().RefreshOnceAsync(CancellationToken.None);
        var snapshot = await agent.SampleAsync();

        Assert.True(snapshot.PodMappingAvailable);
        Assert.Empty(snapshot.Devices[0].Pods);
        var pod = Assert.Single(snapshot.Devices[1].Pods);
        Assert.Equal(("ml", "llm-0", "vllm"), (pod.Namespace, pod.Pod, pod.Container));
    }

    [Fact]
    public async Task RefreshOnce_SocketAbsent_NoPodLabelsAndNoError()
    {
        FakeNvml.ResetWithGpus(1);
        await using var agent = new AgentServices();

        await agent.Get<PodResourcesRefresher>().RefreshOnceAsync(CancellationToken.None);
        var snapshot = await agent.SampleAsync();

        Assert.False(snapshot.PodMappingAvailable);
        Assert.True(snapshot.NvmlUp);
        Assert.Empty(snapshot.Devices[0].Pods);
    }

    [Fact]
    public async Task RefreshOnce_SocketFileWithoutServer_MarksMappingUnavailable()
    {
        var path = Path.Combine(Path.GetTempPath(), $"stale-{Guid.NewGuid():N}.sock");
        await File.WriteAllTextAsync(path, string.Empty);
        try
        {
            await using var agent = new AgentServices(new Dictionary<string, string?> { ["GpuAgent:PodResources:SocketPath"] = path });
            var map = agent.Get<PodDeviceMap>();

            await agent.Get<PodResourcesRefresher>().RefreshOnceAsync(CancellationToken.None);

            Assert.False(map.Available);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
