using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Admission.Gpu;

public sealed class GpuAgentsOptionsValidatorTests
{
    [Theory]
    [InlineData("addresses: [\"10.0.0.1\"]", "admission.gpuAgents.addresses[0]")]
    [InlineData("addresses: [\"10.0.0.1:0\"]", "admission.gpuAgents.addresses[0]")]
    [InlineData("addresses: [\"a:1\", \"b:2\", \"a:b:50052\"]", "admission.gpuAgents.addresses[2]")]
    [InlineData("addresses: [\"a:1\", \"a:1\"]", "admission.gpuAgents.addresses[1]")]
    [InlineData("service: gpu-agents.gpu.svc", "admission.gpuAgents.service")]
    [InlineData("initialBackoffMs: 5000\n    maxBackoffMs: 1000", "admission.gpuAgents.initialBackoffMs")]
    public void Load_InvalidGpuAgents_ErrorAtTheKeyPath(string entry, string path)
    {
        var errors = TestConfigs.Errors($"admission:\n  gpuAgents:\n    {entry}\n");

        Assert.Contains(errors, e => e.Contains(path, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ValidGpuAgents_Loads()
    {
        var loaded = TestConfigs.Load("admission:\n  gpuAgents:\n    addresses: [\"10.0.0.1:50052\", \"[::1]:50052\"]\n    service: gpu-agents.gpu.svc.cluster.local:50052\n");

        Assert.Equal(2, loaded.Config.Admission.GpuAgents.Addresses.Count);
    }
}
