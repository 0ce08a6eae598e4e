using AiSidecar.ExtProc.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers token-range routing.</summary>
public static class RoutingServiceCollectionExtensions
{
    /// <summary>Adds the router bound to the <c>routing</c> section, validated at start.</summary>
    public static IServiceCollection AddTokenRangeRouting(this IServiceCollection services)
    {
        services.AddOptions<RoutingOptions>()
            .BindConfiguration(RoutingOptions.SectionName)
            .PostConfigure(o =>
            {
                if (o.Ranges.Count == 0)
                {
                    o.Ranges = RoutingOptions.DefaultRanges();
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RoutingOptions>, RoutingOptionsValidator>());
        services.TryAddSingleton<ITokenRangeRouter, TokenRangeRouter>();
        return services;
    }
}
