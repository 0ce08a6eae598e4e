using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Routing.Reload;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers routing: token ranges, the model registry and the hot-reloaded routing table.</summary>
public static class RoutingServiceCollectionExtensions
{
    /// <summary>Adds the routing table bound to the <c>routing</c> section, validated at start and on every reload.</summary>
    public static IServiceCollection AddTokenRangeRouting(this IServiceCollection services)
    {
        services.AddOptions<RoutingOptions>()
            .BindConfiguration(RoutingOptions.SectionName)
            .PostConfigure(o => o.ApplyDefaults())
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RoutingOptions>, RoutingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(RoutingConfigSource.None);
        services.TryAddSingleton(sp => new TrafficMetrics(sp.GetService<ExtProcMetrics>()?.Registry ?? Prometheus.Metrics.NewCustomRegistry()));
        services.TryAddSingleton<RoutingTableSource>();
        services.TryAddSingleton<IRoutingTableSource>(sp => sp.GetRequiredService<RoutingTableSource>());
        return services;
    }
}
