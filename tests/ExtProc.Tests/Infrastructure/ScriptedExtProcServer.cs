using System.Net;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.Testing;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>A throwaway ext_proc server whose behaviour each test scripts, to check <see cref="EnvoyExtProcClient"/> itself.</summary>
internal sealed class ScriptedExtProcServer : IAsyncDisposable
{
    private readonly LoopbackHost _host;

    private ScriptedExtProcServer(LoopbackHost host)
    {
        _host = host;
    }

    public GrpcChannel Channel => _host.Channel;

    public static async Task<ScriptedExtProcServer> StartAsync(ProcessHandler handler) =>
        new(await LoopbackHost.StartAsync(ports =>
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddGrpc();
            builder.Services.AddSingleton(handler);
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, ports.Grpc, o => o.Protocols = HttpProtocols.Http2));
            var app = builder.Build();
            app.MapGrpcService<ScriptedProcessor>();
            return app;
        }, ExtProcChannels.Create));

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

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
