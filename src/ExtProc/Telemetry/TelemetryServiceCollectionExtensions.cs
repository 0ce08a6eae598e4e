using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prometheus;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers metrics and tracing.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Adds the Prometheus metrics and, when an OTLP endpoint is configured, OpenTelemetry tracing.</summary>
    public static IServiceCollection AddExtProcTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => new ExtProcMetrics(Metrics.NewCustomRegistry()));
        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.OtlpEndpoint is { } endpoint)
        {
            services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("ai-sidecar-extproc"))
                .WithTracing(t => t
                    .AddSource(ExtProcTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation()
                    .AddOtlpExporter(o => o.Endpoint = endpoint));
        }

        return services;
    }
}
