using AiSidecar.ExtProc.Health;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers readiness, the health checks, and gRPC health on the same checks.</summary>
internal static class HealthServiceCollectionExtensions
{
    /// <summary>The tag of the checks that decide readiness (<c>/readyz</c>, gRPC health).</summary>
    public const string ReadyTag = "ready";

    /// <summary>The gRPC service name Envoy's cluster health check may ask about.</summary>
    public const string ExtProcServiceName = "envoy.service.ext_proc.v3.ExternalProcessor";

    /// <summary>Adds readiness, its health checks, the gRPC health service over them, the warm-up that makes the server ready and the drain that ends it.</summary>
    public static IServiceCollection AddExtProcHealth(this IServiceCollection services)
    {
        services.TryAddSingleton<ReadinessState>();

        // Registered before the health check publisher, so the server is warm before health is first published.
        services.AddHostedService<WarmupService>();
        services.AddHostedService<DrainService>();
        services.AddHealthChecks()
            .AddCheck<ReadinessHealthCheck>(ReadinessHealthCheck.Name, tags: [ReadyTag])
            .AddCheck<TokenizersHealthCheck>(TokenizersHealthCheck.Name, tags: [ReadyTag]);
        services.AddGrpcHealthChecks(o =>
        {
            o.Services.Map("", r => r.Tags.Contains(ReadyTag));
            o.Services.Map(ExtProcServiceName, r => r.Tags.Contains(ReadyTag));
        });
        services.Configure<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckPublisherOptions>(o =>
        {
            // gRPC Watch callers learn of a change (warm, draining) within a second.
            o.Delay = TimeSpan.Zero;
            o.Period = TimeSpan.FromSeconds(1);
        });
        return services;
    }
}
