using System.Net;
using AiSidecar.Configuration;
using AiSidecar.GpuAgent.Api;
using AiSidecar.GpuAgent.Sampling;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Prometheus;

namespace AiSidecar.GpuAgent.Hosting;

/// <summary>Builds the GPU agent: gRPC on one port, metrics and probes on another.</summary>
internal static class GpuAgentApplication
{
    /// <summary>Exit code when the configuration is invalid: 78, <c>EX_CONFIG</c> in sysexits.h.</summary>
    public const int InvalidConfigurationExitCode = 78;

    /// <summary>
    /// Builds the application from command-line arguments (any <c>GpuAgent:*</c> or <c>Logging:*</c> setting can be
    /// passed); throws <see cref="InvalidConfigurationException"/>, one located line per issue, when the configuration is invalid.
    /// </summary>
    public static WebApplication Build(string[] args) => Build(new WebApplicationOptions { Args = args });

    /// <summary>
    /// Builds and runs the agent until shutdown and returns the process exit code; an invalid configuration is printed
    /// to <paramref name="error"/>, one line per issue, and returns <see cref="InvalidConfigurationExitCode"/>.
    /// </summary>
    public static Task<int> RunAsync(string[] args, TextWriter error) => RunAsync(new WebApplicationOptions { Args = args }, error);

    internal static async Task<int> RunAsync(WebApplicationOptions options, TextWriter error)
    {
        WebApplication app;
        try
        {
            app = Build(options);
        }
        catch (InvalidConfigurationException ex)
        {
            foreach (var line in ex.Lines)
            {
                await error.WriteLineAsync(line).ConfigureAwait(false);
            }

            await error.WriteLineAsync($"gpu-agent: the configuration is invalid ({ex.Lines.Count} issue(s)); exiting with {InvalidConfigurationExitCode}.").ConfigureAwait(false);
            return InvalidConfigurationExitCode;
        }

        await using (app.ConfigureAwait(false))
        {
            await app.RunAsync().ConfigureAwait(false);
        }

        return 0;
    }

    internal static WebApplication Build(WebApplicationOptions options)
    {
        var builder = AgentConfiguration.CreateBuilder(options);
        var agent = AgentConfiguration.ReadOrThrow(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(agent.GrpcAddress), agent.GrpcPort, o => o.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Parse(agent.MetricsAddress), agent.MetricsPort, o => o.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddSingleton(agent);
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
