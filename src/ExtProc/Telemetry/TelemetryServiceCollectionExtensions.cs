using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers metrics and tracing.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Adds the server's instruments, exported on <c>/metrics</c> through a prometheus-net registry of their own,
    /// the response metrics stage, and OTLP export of traces and metrics when an endpoint is configured: the exchange
    /// spans (sampled at <c>samplingRatio</c> unless the client's trace context decides), with the request body on
    /// them only under <c>recordContent</c>.
    /// </summary>
    public static IServiceCollection AddExtProcTelemetry(this IServiceCollection services, TelemetryOptions options)
    {
        services.AddMetrics();
        services.TryAddSingleton(_ => Prometheus.Metrics.NewCustomRegistry());
        services.AddPrometheusMeterBridge(ExtProcMetrics.MeterName, ExtProcMetrics.LabelNames);
        services.TryAddSingleton<ExtProcMetrics>();
        services.AddResponseStage<ResponseMetricsStage>();
        if (options.OtlpEndpoint is { } endpoint)
        {
            if (options.RecordContent)
            {
                services.AddRequestStage<ContentTraceStage>();
            }

            services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("ai-sidecar-extproc", serviceVersion: BuildInfo.Version))
                .WithTracing(t => t
                    .AddSource(ExtProcTelemetry.SourceName)
                    .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.SamplingRatio)))
                    .AddAspNetCoreInstrumentation()
                    .AddGrpcClientInstrumentation()
                    .AddOtlpExporter(o => Export(o, options, "v1/traces")))
                .WithMetrics(m => m
                    .AddMeter(ExtProcMetrics.MeterName)
                    .AddOtlpExporter(o => Export(o, options, "v1/metrics")));
        }

        return services;
    }

    /// <summary>
    /// Points an OTLP exporter at the endpoint: as it is for gRPC; for HTTP, the signal's path under it (an endpoint
    /// set in code is used verbatim, so the path OpenTelemetry adds to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is added here).
    /// </summary>
    private static void Export(OtlpExporterOptions exporter, TelemetryOptions options, string signalPath)
    {
        var endpoint = options.OtlpEndpoint!;
        exporter.Protocol = options.OtlpProtocol == OtlpProtocol.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        exporter.Endpoint = options.OtlpProtocol == OtlpProtocol.HttpProtobuf ? SignalEndpoint(endpoint, signalPath) : endpoint;
    }

    /// <summary><paramref name="endpoint"/> with <paramref name="signalPath"/> added to its path.</summary>
    internal static Uri SignalEndpoint(Uri endpoint, string signalPath) =>
        new(endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/"), signalPath);
}
