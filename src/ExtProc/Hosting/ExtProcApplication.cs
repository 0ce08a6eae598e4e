using System.Net;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Protocol;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Prometheus;

namespace AiSidecar.ExtProc.Hosting;

/// <summary>Builds the ext_proc server on a checked config: gRPC (h2c only) for Envoy, HTTP for metrics and probes.</summary>
internal static class ExtProcApplication
{
    /// <summary>The log category of grpc-dotnet's server call handler.</summary>
    internal const string GrpcCallHandlerCategory = "Grpc.AspNetCore.Server.ServerCallHandler";

    /// <summary>Builds the application on <paramref name="loaded"/>; <paramref name="configure"/> may add services (tests add stages).</summary>
    public static WebApplication Build(LoadedConfig loaded, Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(loaded.Root);
        builder.Logging
            // grpc-dotnet logs every reset or cancelled read ("Error reading message") at Information with its stack
            // trace: a cancel storm would write hundreds of thousands. The server logs stream ends itself (Debug) and
            // counts them (extproc_stream_endings_total); real errors in this category are Warning and above. Added
            // before the config so that a Logging:LogLevel entry for the category still overrides it.
            .AddFilter(GrpcCallHandlerCategory, LogLevel.Warning)
            .AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole()
            // The only checks are the server's own states (warming up, draining, a tokenizer that fell back), each logged
            // where it happens; the health service would add an error line per check run while draining.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        builder.WebHost.UseKestrelCore();

        var server = loaded.Config.Server;
        var endpoints = new BoundEndpoints();
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddRouting();
        builder.Services.AddExtProcCore(loaded).AddConfigReload().AddExtProcHealth().AddBurstCompaction().AddLiveAdmission().AddCoalescing().AddBudgets().AddResponseCache();
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = server.MaxReceiveMessageBytes);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(server.ShutdownTimeoutSeconds));
        configure?.Invoke(builder.Services);
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureListeners(kestrel, server, endpoints));

        var app = builder.Build();
        ListenerScope.Enforce(app, endpoints);
        var grpc = new ListenerScope(Grpc: true);
        var http = new ListenerScope(Grpc: false);
        app.MapGrpcService<ExternalProcessorService>().WithMetadata(grpc);
        app.MapGrpcHealthChecksService().WithMetadata(grpc);
        foreach (var probe in app.MapHealthProbes())
        {
            probe.WithMetadata(http);
        }

        app.MapMetrics("/metrics", app.Services.GetRequiredService<CollectorRegistry>()).WithMetadata(http);
        return app;
    }

    private static void ConfigureListeners(KestrelServerOptions kestrel, ServerOptions server, BoundEndpoints endpoints)
    {
        kestrel.Limits.Http2.MaxStreamsPerConnection = server.MaxConcurrentStreams;
        kestrel.Limits.MaxRequestBodySize = null;
        kestrel.Listen(IPAddress.Parse(server.GrpcAddress), server.GrpcPort, o =>
        {
            // Envoy speaks h2c with prior knowledge; HTTP/1 on this port would only confuse.
            o.Protocols = HttpProtocols.Http2;
            endpoints.GrpcListener = o;
        });
        kestrel.Listen(IPAddress.Parse(server.HttpAddress), server.HttpPort, o =>
        {
            o.Protocols = HttpProtocols.Http1;
            endpoints.HttpListener = o;
        });
    }
}
