using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers metrics and tracing.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Adds the server's instruments, exported on <c>/metrics</c> through a prometheus-net registry of their own,
    /// the response metrics stage, and OTLP export of traces and metrics when an endpoint is configured.
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
            services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("ai-sidecar-extproc", serviceVersion: BuildInfo.Version))
                .WithTracing(t => t
                    .AddSource(ExtProcTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation()
                    .AddGrpcClientInstrumentation()
                    .AddOtlpExporter(o => o.Endpoint = endpoint))
                .WithMetrics(m => m
                    .AddMeter(ExtProcMetrics.MeterName)
                    .AddOtlpExporter(o => o.Endpoint = endpoint));
        }

        return services;
    }
}
