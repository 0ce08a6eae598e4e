using AiSidecar.GpuAgent.Kubelet.PodResources.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.GpuAgent.Tests.Fakes;

/// <summary>A kubelet pod-resources server on a Unix socket, answering List with a fixed response.</summary>
internal sealed class FakeKubelet : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeKubelet(WebApplication app, string socketPath)
    {
        _app = app;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    public static async Task<FakeKubelet> StartAsync(ListPodResourcesResponse response)
    {
        var socketPath = Path.Combine(Path.GetTempPath(), $"kubelet-{Guid.NewGuid():N}.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socketPath, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(response);
        var app = builder.Build();
        app.MapGrpcService<Lister>();
        await app.StartAsync();
        return new FakeKubelet(app, socketPath);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(SocketPath);
    }

    private sealed class Lister(ListPodResourcesResponse response) : PodResourcesLister.PodResourcesListerBase
    {
        public override Task<ListPodResourcesResponse> List(ListPodResourcesRequest request, ServerCallContext context) =>
            Task.FromResult(response);
    }
}
