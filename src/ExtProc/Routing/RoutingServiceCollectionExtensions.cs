using AiSidecar.ExtProc.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers routing: the reloadable routing table and the decision stage.</summary>
internal static class RoutingServiceCollectionExtensions
{
    /// <summary>Adds the routing table compiled from the loaded config, and the stage that decides range and pool.</summary>
    public static IServiceCollection AddRequestRouting(this IServiceCollection services)
    {
        services.TryAddSingleton<RoutingTableSource>();
        services.TryAddSingleton<IRoutingTableSource>(sp => sp.GetRequiredService<RoutingTableSource>());
        return services.AddRequestStage<RouteStage>();
    }
}
