using AiSidecar.ExtProc.Health;
using Grpc.HealthCheck;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers readiness and the gRPC health service.</summary>
public static class HealthServiceCollectionExtensions
{
    /// <summary>Adds readiness state, the gRPC health service and the warm-up that drives them.</summary>
    public static IServiceCollection AddExtProcHealth(this IServiceCollection services)
    {
        services.TryAddSingleton<ReadinessState>();
        services.TryAddSingleton<HealthServiceImpl>();
        services.AddHostedService<WarmupService>();
        return services;
    }
}
