using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Kubelet.PodResources.V1;
using AiSidecar.GpuAgent.PodResources;

namespace AiSidecar.GpuAgent.Tests.PodResources;

public sealed class PodDeviceMapperTests
{
    private static readonly string[] Prefixes = ["nvidia.com/gpu", "nvidia.com/mig-"];

    [Theory]
    [InlineData("GPU-abc", "GPU-abc")]
    [InlineData("GPU-abc::3", "GPU-abc")]
    [InlineData("MIG-def", "MIG-def")]
    [InlineData("nvidia0/gi1", "")]
    public void NormalizeId_DevicePluginId_ReturnsUuid(string deviceId, string expected)
    {
        Assert.Equal(expected, PodDeviceMapper.NormalizeId(deviceId));
    }

    [Fact]
    public void Build_GpuMigAndOtherResources_MapsOnlyGpuUuidsToPods()
    {
        var response = new ListPodResourcesResponse
        {
            PodResources =
            {
                Pod("ml", "trainer", "main", ("nvidia.com/gpu", ["GPU-1"]), ("example.com/nic", ["GPU-9"])),
                Pod("ml", "infer", "server", ("nvidia.com/mig-1g.10gb", ["MIG-7"])),
            },
        };

        var map = PodDeviceMapper.Build(response, Prefixes);

        Assert.Equal(["GPU-1", "MIG-7"], map.Keys.Order());
        Assert.Equal(new PodRef { Namespace = "ml", Pod = "trainer", Container = "main" }, Assert.Single(map["GPU-1"]));
        Assert.Equal("infer", Assert.Single(map["MIG-7"]).Pod);
    }

    [Fact]
    public void Build_TimeSlicedReplicas_ListsEverySharingPodOnce()
    {
        var response = new ListPodResourcesResponse
        {
            PodResources =
            {
                Pod("a", "p1", "c", ("nvidia.com/gpu.shared", ["GPU-1::0", "GPU-1::1"])),
                Pod("b", "p2", "c", ("nvidia.com/gpu.shared", ["GPU-1::2"])),
            },
        };

        var map = PodDeviceMapper.Build(response, Prefixes);

        Assert.Equal(["p1", "p2"], map["GPU-1"].Select(p => p.Pod));
    }

    private static Kubelet.PodResources.V1.PodResources Pod(string ns, string name, string container, params (string Resource, string[] Ids)[] devices)
    {
        var resources = new ContainerResources { Name = container };
        foreach (var (resource, ids) in devices)
        {
            resources.Devices.Add(new ContainerDevices { ResourceName = resource, DeviceIds = { ids } });
        }

        return new Kubelet.PodResources.V1.PodResources { Namespace = ns, Name = name, Containers = { resources } };
    }
}
