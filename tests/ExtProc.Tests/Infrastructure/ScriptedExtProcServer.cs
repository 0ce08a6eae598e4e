using System.Net;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>A throwaway ext_proc server whose behaviour each test scripts, to check <see cref="EnvoyExtProcClient"/> itself.</summary>
internal sealed class ScriptedExtProcServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedExtProcServer(WebApplication app, GrpcChannel channel)
    {
        _app = app;
        Channel = channel;
    }

    public GrpcChannel Channel { get; }

    public static async Task<ScriptedExtProcServer> StartAsync(ProcessHandler handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(handler);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapGrpcService<ScriptedProcessor>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var channel = ExtProcChannels.Create(new Uri(address));
        await channel.ConnectAsync();
        return new ScriptedExtProcServer(app, channel);
    }

    /// <summary>Answers each message with <paramref name="reply"/> (null: no answer) until the client half-closes.</summary>
    public static Task<ScriptedExtProcServer> StartAsync(Func<ProcessingRequest, ProcessingResponse?> reply) =>
        StartAsync(async (requests, responses, context) =>
        {
            await foreach (var request in requests.ReadAllAsync(context.CancellationToken))
            {
                if (reply(request) is { } response)
                {
                    await responses.WriteAsync(response, context.CancellationToken);
                }
            }
        });

    /// <summary>A client; without a config, <see cref="ExtProcChannels.TestConfig"/> (Envoy's defaults, a lenient timer).</summary>
    public EnvoyExtProcClient Client(EnvoyFilterConfig? config = null) => new(Channel, config ?? ExtProcChannels.TestConfig);

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
