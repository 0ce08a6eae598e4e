using System.Net;
using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Tests.Fakes;
using AiSidecar.Testing;
using Grpc.Health.V1;
using GpuAgentApi = AiSidecar.GpuAgent.Api.V1.GpuAgent;

namespace AiSidecar.GpuAgent.Tests.Hosting;

public sealed class AgentHostTests
{
    [Fact]
    public async Task Start_NoNvmlLibrary_ServesEmptySnapshotAndReportsNvmlDown()
    {
        await using var host = await AgentHost.StartAsync("/nonexistent/libnvidia-ml.so.1");
        var health = new Health.HealthClient(host.Channel);

        var ready = await host.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        var live = await host.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        var metrics = await host.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var snapshot = await new GpuAgentApi.GpuAgentClient(host.Channel).GetSnapshotAsync(new GetSnapshotRequest());
        var service = await health.CheckAsync(new HealthCheckRequest { Service = "aisidecar.gpuagent.v1.GpuAgent" });
        var server = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("NVML_ERROR_LIBRARY_NOT_FOUND", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Contains("gpu_agent_nvml_up 0", metrics, StringComparison.Ordinal);
        Assert.False(snapshot.NvmlUp);
        Assert.Empty(snapshot.Devices);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, service.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, server.Status);
    }

    [Fact]
    public async Task Start_ComposeServiceSettingsWithoutNvml_RunsAndReportsNvmlDown()
    {
        var environment = ComposeFile.Environment("gpu-agent");
        string[] settings = [.. environment.Select(e => $"--{e.Key.Replace("__", ":", StringComparison.Ordinal)}={e.Value}")];

        await using var host = await AgentHost.StartAsync("/nonexistent/libnvidia-ml.so.1", settings);
        var ready = await host.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        var live = await host.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        var snapshot = await new GpuAgentApi.GpuAgentClient(host.Channel).GetSnapshotAsync(new GetSnapshotRequest());

        Assert.Contains("GpuAgent__PodResources__Enabled", environment.Keys);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), (ready.StatusCode, live.StatusCode));
        Assert.Equal((environment["GpuAgent__NodeName"], false, false), (snapshot.NodeName, snapshot.NvmlUp, snapshot.PodMappingAvailable));
    }

    [Fact]
    public async Task Start_FakeGpus_ServesDcgmMetricsAndSnapshot()
    {
        FakeNvml.ResetWithGpus(2);
        await using var host = await AgentHost.StartAsync(FakeNvml.LibraryPath);

        var ready = await host.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        var metrics = await host.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var snapshot = await new GpuAgentApi.GpuAgentClient(host.Channel).GetSnapshotAsync(new GetSnapshotRequest());

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("gpu_agent_nvml_up 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"DCGM_FI_DEV_FB_USED{{gpu=\"1\",UUID=\"{FakeNvml.Uuid(1)}\"", metrics, StringComparison.Ordinal);
        Assert.Equal(2, PrometheusText.Series(metrics, "DCGM_FI_DEV_GPU_UTIL").Length);
        Assert.Contains("gpu_agent_sample_duration_seconds_count", metrics, StringComparison.Ordinal);
        Assert.True(snapshot.NvmlUp);
        Assert.Equal([FakeNvml.Uuid(0), FakeNvml.Uuid(1)], snapshot.Devices.Select(d => d.Uuid));
        Assert.Equal("h100", snapshot.PoolLabels["pool"]);
    }
}
