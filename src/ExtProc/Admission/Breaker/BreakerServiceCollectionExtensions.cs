using AiSidecar.ExtProc.Admission.Breaker;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the pool circuit breakers.</summary>
internal static class BreakerServiceCollectionExtensions
{
    /// <summary>Adds the breakers (one per pool, <c>admission.breaker</c>) and the response stage that feeds them.</summary>
    public static IServiceCollection AddPoolBreakers(this IServiceCollection services)
    {
        services.TryAddSingleton<PoolBreakers>();
        return services.AddResponseStage<BreakerResponseStage>();
    }
}
