using System.Net;
using AiSidecar.ExtProc.Protocol;
using AiSidecar.ExtProc.Routing.Reload;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Prometheus;

namespace AiSidecar.ExtProc.Hosting;

/// <summary>Builds the ext_proc server: gRPC (h2c only) for Envoy, HTTP for metrics and probes.</summary>
public static class ExtProcApplication
{
    /// <summary>Environment variables with this prefix override config keys (<c>EXTPROC_server__grpcPort=50052</c>).</summary>
    public const string EnvironmentPrefix = "EXTPROC_";

    /// <summary>Builds the application from command-line arguments (<c>--config FILE</c>, <c>--section:key=value</c>).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var configPath = AddConfiguration(builder.Configuration, args);

        var endpoints = new BoundEndpoints();
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddSingleton(new RoutingConfigSource(configPath, args));
        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddInferencePipeline();
        builder.Services.AddExtProcProtocol();
        builder.Services.AddExtProcTelemetry(builder.Configuration);
        builder.Services.AddExtProcHealth();
        builder.Services.AddGrpc();
        builder.Services.AddOptions<Grpc.AspNetCore.Server.GrpcServiceOptions>()
            .Configure<IOptions<ServerOptions>>((grpc, server) => grpc.MaxReceiveMessageSize = server.Value.MaxReceiveMessageBytes);
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<ServerOptions>>((host, server) => host.ShutdownTimeout = TimeSpan.FromSeconds(server.Value.ShutdownTimeoutSeconds));
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureListeners(kestrel, endpoints));

        var app = builder.Build();
        ListenerScope.Enforce(app, endpoints);
        var grpc = new ListenerScope(Grpc: true);
        var http = new ListenerScope(Grpc: false);
        app.MapGrpcService<ExternalProcessorService>().WithMetadata(grpc);
        app.MapGrpcService<HealthServiceImpl>().WithMetadata(grpc);
        foreach (var probe in app.MapHealthProbes())
        {
            probe.WithMetadata(http);
        }

        app.MapMetrics("/metrics", app.Services.GetRequiredService<Telemetry.ExtProcMetrics>().Registry).WithMetadata(http);
        return app;
    }

    /// <summary>Adds the config sources; returns the config file's full path, or null for the embedded default.</summary>
    private static string? AddConfiguration(ConfigurationManager configuration, string[] args)
    {
        // The YAML file replaces the embedded default whole: merging lists (ranges, models) by index would mix them.
        configuration.Sources.Clear();
        if (ConfigFile.Locate(args) is { } path)
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException($"The config file '{full}' does not exist.", full);
            }

            // The routing section hot-reloads through RoutingTableSource, which polls the file itself.
            configuration.AddYamlFile(full, optional: false, reloadOnChange: false);
            configuration.AddEnvironmentVariables(EnvironmentPrefix);
            configuration.AddCommandLine(args);
            return full;
        }

        configuration.AddYamlStream(ConfigFile.OpenDefault());
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddCommandLine(args);
        return null;
    }

    private static void ConfigureListeners(KestrelServerOptions kestrel, BoundEndpoints endpoints)
    {
        var server = kestrel.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value;
        var processing = kestrel.ApplicationServices.GetRequiredService<IOptions<ProcessingOptions>>().Value;
        if (processing.MaxBodyBytes + (64 << 10) > server.MaxReceiveMessageBytes)
        {
            throw new OptionsValidationException(nameof(ServerOptions), typeof(ServerOptions),
                [$"server.maxReceiveMessageBytes ({server.MaxReceiveMessageBytes}) must exceed processing.maxBodyBytes ({processing.MaxBodyBytes}) by at least 64 KiB."]);
        }

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
