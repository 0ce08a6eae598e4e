using AiSidecar.GpuAgent.Hosting;
using AiSidecar.GpuAgent.Sampling;
using AiSidecar.Testing;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.GpuAgent.Tests.Fakes;

/// <summary>The whole agent (Kestrel, gRPC, /metrics) on free local ports; sampling runs once at start, then on demand.</summary>
internal sealed class AgentHost : IAsyncDisposable
{
    private readonly LoopbackHost _host;

    private AgentHost(LoopbackHost host)
    {
        _host = host;
    }

    public GrpcChannel Channel => _host.Channel;

    public HttpClient Http => _host.Http;

    /// <summary>Starts the agent on <paramref name="libraryPath"/>; <paramref name="settings"/> (<c>--Key=value</c>) override the test defaults.</summary>
    public static async Task<AgentHost> StartAsync(string libraryPath, params string[] settings)
    {
        var host = await LoopbackHost.StartAsync(ports => GpuAgentApplication.Build(
        [
            "--GpuAgent:GrpcAddress=127.0.0.1",
            $"--GpuAgent:GrpcPort={ports.Grpc}",
            "--GpuAgent:MetricsAddress=127.0.0.1",
            $"--GpuAgent:MetricsPort={ports.Http}",
            "--GpuAgent:NodeName=node-a",
            "--GpuAgent:PoolLabels:pool=h100",
            $"--GpuAgent:Nvml:LibraryPath={libraryPath}",
            $"--GpuAgent:Nvml:CallTimeout={AgentServices.GuardCallTimeout}",
            "--GpuAgent:Sampling:Interval=01:00:00",
            "--GpuAgent:PodResources:SocketPath=/nonexistent/kubelet.sock",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ]));
        var agent = new AgentHost(host);
        try
        {
            await agent.SampleAsync();
            return agent;
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
    }

    public Task SampleAsync() => _host.App.Services.GetRequiredService<GpuSampler>().SampleOnceAsync(CancellationToken.None);

    /// <summary>Starts a graceful stop (what SIGTERM does) without disposing.</summary>
    public Task StopAsync() => _host.StopAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
