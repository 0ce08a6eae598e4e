using AiSidecar.GpuAgent.Nvml;
using AiSidecar.GpuAgent.Tests.Fakes;

namespace AiSidecar.GpuAgent.Tests.Sampling;

/// <summary>nvmlDeviceGetHandleByIndex_v2 failing for one GPU must not take the node down.</summary>
public sealed class DeviceHandleFaultTests
{
    [Fact]
    public async Task SampleOnce_HandleNoPermission_ReportsThatGpuUnhealthyAndSamplesOthers()
    {
        FakeNvml.ResetWithGpus(3);
        FakeNvml.SetError(1, FakeField.Handle, (int)NvmlReturn.NoPermission);
        await using var agent = new AgentServices();

        var snapshot = await agent.SampleAsync();

        Assert.True(snapshot.NvmlUp);
        Assert.Equal([0u, 1u, 2u], snapshot.Devices.Select(d => d.Index));
        var refused = snapshot.Devices[1];
        Assert.False(refused.Health.Healthy);
        Assert.False(refused.Health.Lost);
        Assert.Equal(["nvml_error"], refused.Health.Reasons);
        Assert.False(refused.HasMemoryUsedBytes);
        Assert.True(snapshot.Devices[0].Health.Healthy);
        Assert.Equal(FakeNvml.Uuid(2), snapshot.Devices[2].Uuid);
        Assert.True(snapshot.Devices[2].HasMemoryUsedBytes);
    }

    [Fact]
    public async Task SampleOnce_HandleGpuIsLost_ReportsThatGpuLostAndSamplesOthers()
    {
        FakeNvml.ResetWithGpus(2);
        FakeNvml.SetError(0, FakeField.Handle, (int)NvmlReturn.GpuIsLost);
        await using var agent = new AgentServices();

        var snapshot = await agent.SampleAsync();

        Assert.True(snapshot.NvmlUp);
        Assert.Equal((true, false), (snapshot.Devices[0].Health.Lost, snapshot.Devices[0].Health.Healthy));
        Assert.Equal(["gpu_lost"], snapshot.Devices[0].Health.Reasons);
        Assert.True(snapshot.Devices[1].Health.Healthy);
    }

    [Fact]
    public async Task SampleOnce_HandleRefusedThenGranted_ReadsGpuOnLaterSample()
    {
        FakeNvml.ResetWithGpus(2);
        FakeNvml.SetError(1, FakeField.Handle, (int)NvmlReturn.NoPermission);
        await using var agent = new AgentServices();
        var refused = await agent.SampleAsync();

        FakeNvml.SetError(1, FakeField.Handle, 0);
        var granted = await agent.SampleAsync();

        Assert.False(refused.Devices[1].Health.Healthy);
        Assert.Equal(FakeNvml.Uuid(1), granted.Devices[1].Uuid);
        Assert.True(granted.Devices[1].Health.Healthy);
        Assert.True(granted.Devices[1].HasMemoryUsedBytes);
    }
}
