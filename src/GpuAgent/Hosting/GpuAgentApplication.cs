using AiSidecar.GpuAgent.Api;
using AiSidecar.GpuAgent.Sampling;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Prometheus;

namespace AiSidecar.GpuAgent.Hosting;

/// <summary>Builds the GPU agent: gRPC on one port, metrics and probes on another.</summary>
public static class GpuAgentApplication
{
    /// <summary>Builds the application from command-line arguments (any <c>GpuAgent:*</c> setting can be passed).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var listen = builder.Configuration.GetSection(AgentOptions.SectionName).Get<AgentOptions>() ?? new AgentOptions();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenAnyIP(listen.GrpcPort, o => o.Protocols = HttpProtocols.Http2);
            kestrel.ListenAnyIP(listen.MetricsPort, o => o.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddGpuAgent();

        var app = builder.Build();
        app.MapGrpcService<GpuAgentGrpcService>();
        app.MapGrpcService<HealthServiceImpl>();
        app.MapMetrics("/metrics", app.Services.GetRequiredService<CollectorRegistry>());
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", (SnapshotHub hub) => hub.Latest.NvmlUp
            ? Results.Text("ok")
            : Results.Text($"nvml down: {(hub.Latest.NvmlError.Length > 0 ? hub.Latest.NvmlError : "not sampled yet")}", statusCode: 503));
        return app;
    }
}
