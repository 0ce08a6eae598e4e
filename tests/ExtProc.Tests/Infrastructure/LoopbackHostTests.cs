using System.Net;
using System.Net.Sockets;
using AiSidecar.Testing;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using HealthClient = Grpc.Health.V1.Health.HealthClient;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>The shared loopback host the test servers are built on.</summary>
public sealed class LoopbackHostTests
{
    [Fact]
    public async Task StartAsync_BuiltApplication_ServesGrpcOnChannelAndHttpOnClient()
    {
        await using var host = await LoopbackHost.StartAsync(ports => Minimal(ports.Grpc, ports.Http));

        var health = await new HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());
        var ping = await host.Http.GetStringAsync(new Uri("/ping", UriKind.Relative));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal("pong", ping);
        Assert.NotEqual(host.Ports.Grpc, host.Ports.Http);
    }

    [Fact]
    public async Task StartAsync_PortTakenBeforeTheBind_StartsAgainOnOtherPorts()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var takenPort = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var builds = 0;

        await using var host = await LoopbackHost.StartAsync(ports => Minimal(++builds == 1 ? takenPort : ports.Grpc, ports.Http));

        Assert.Equal(2, builds);
        Assert.NotEqual(takenPort, host.Ports.Grpc);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new HealthClient(host.Channel).CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task DisposeAsync_AfterStopAsyncAndTwice_ReleasesThePorts()
    {
        var ports = LoopbackPorts.Pick();
        var host = await LoopbackHost.StartAsync(Minimal(ports.Grpc, ports.Http), ports);

        await host.StopAsync();
        await host.StopAsync();
        await host.DisposeAsync();
        await host.DisposeAsync();

        using var rebound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        rebound.Bind(new IPEndPoint(IPAddress.Loopback, ports.Grpc));
        Assert.Equal(ports.Grpc, ((IPEndPoint)rebound.LocalEndPoint!).Port);
    }

    /// <summary>gRPC health on an h2c port, <c>GET /ping</c> on an HTTP/1.1 port.</summary>
    private static WebApplication Minimal(int grpcPort, int httpPort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<HealthServiceImpl>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, grpcPort, o => o.Protocols = HttpProtocols.Http2);
            k.Listen(IPAddress.Loopback, httpPort, o => o.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        app.MapGrpcService<HealthServiceImpl>();
        app.Services.GetRequiredService<HealthServiceImpl>().SetStatus("", HealthCheckResponse.Types.ServingStatus.Serving);
        app.MapGet("/ping", () => Results.Text("pong"));
        return app;
    }
}
