using System.Net;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Grpc.Health.V1;
using HealthClient = Grpc.Health.V1.Health.HealthClient;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>The gRPC health service and the HTTP probes and metrics.</summary>
public sealed class HealthAndMetricsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("envoy.service.ext_proc.v3.ExternalProcessor")]
    public async Task Check_StartedServer_ReportsServing(string service)
    {
        await using var server = await TestExtProcServer.StartAsync();

        var response = await new HealthClient(server.Channel).CheckAsync(new HealthCheckRequest { Service = service });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Theory]
    [InlineData("/healthz", "ok")]
    [InlineData("/readyz", "ready")]
    public async Task Get_Probe_Returns200(string path, string status)
    {
        await using var server = await TestExtProcServer.StartAsync();

        using var response = await server.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"\"status\":\"{status}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_MetricsAfterRequest_ContainsRequestCounter()
    {
        await using var server = await TestExtProcServer.StartAsync();
        await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion("count me"))));

        var metrics = await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("extproc_requests_total{decision=\"small\"} 1", metrics, StringComparison.Ordinal);
    }
}
