using System.Net;
using System.Net.Sockets;
using AiSidecar.GpuAgent.Hosting;
using AiSidecar.GpuAgent.Sampling;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.GpuAgent.Tests.Fakes;

/// <summary>The whole agent (Kestrel, gRPC, /metrics) on free local ports; sampling runs once at start, then on demand.</summary>
internal sealed class AgentHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AgentHost(WebApplication app, int grpcPort, int metricsPort)
    {
        _app = app;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };
    }

    public GrpcChannel Channel { get; }

    public HttpClient Http { get; }

    public static async Task<AgentHost> StartAsync(string libraryPath)
    {
        var (grpcPort, metricsPort) = (FreePort(), FreePort());
        var app = GpuAgentApplication.Build(
        [
            "--GpuAgent:GrpcAddress=127.0.0.1",
            $"--GpuAgent:GrpcPort={grpcPort}",
            "--GpuAgent:MetricsAddress=127.0.0.1",
            $"--GpuAgent:MetricsPort={metricsPort}",
            "--GpuAgent:NodeName=node-a",
            "--GpuAgent:PoolLabels:pool=h100",
            $"--GpuAgent:Nvml:LibraryPath={libraryPath}",
            "--GpuAgent:Sampling:Interval=01:00:00",
            "--GpuAgent:PodResources:SocketPath=/nonexistent/kubelet.sock",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        var host = new AgentHost(app, grpcPort, metricsPort);
        await host.SampleAsync();
        return host;
    }

    public Task SampleAsync() => _app.Services.GetRequiredService<GpuSampler>().SampleOnceAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
