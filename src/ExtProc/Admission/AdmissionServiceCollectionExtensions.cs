using AiSidecar.ExtProc.Admission;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers admission: the stage after routing and what it reads.</summary>
internal static class AdmissionServiceCollectionExtensions
{
    /// <summary>
    /// Adds the admission stage, the per-pool request durations and staleness, and (unless one is registered) a load
    /// source that knows nothing yet, so monitored pools count as stale.
    /// </summary>
    public static IServiceCollection AddAdmission(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PoolDurations>();
        services.TryAddSingleton<PoolStaleness>();
        services.TryAddSingleton<IPoolLoadSource, UnknownPoolLoad>();
        return services.AddRequestStage<AdmissionStage>();
    }

    /// <summary>
    /// The server's live telemetry for admission: the GPU agents watched, the engines scraped, and the load source that
    /// reads both (replacing the empty one). Idle unless the config names agents or pools with an engine.
    /// </summary>
    public static IServiceCollection AddLiveAdmission(this IServiceCollection services)
    {
        services.AddGpuFleet().AddEngineLoad();
        services.Replace(ServiceDescriptor.Singleton<IPoolLoadSource, LivePoolLoad>());
        return services;
    }
}
