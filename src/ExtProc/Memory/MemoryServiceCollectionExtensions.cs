using AiSidecar.ExtProc.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the bounds on request-body memory.</summary>
internal static class MemoryServiceCollectionExtensions
{
    /// <summary>Adds the body budget and the stage that admits large bodies against it (before inspection).</summary>
    public static IServiceCollection AddBodyBudget(this IServiceCollection services)
    {
        services.TryAddSingleton<BodyBudget>();
        return services.AddRequestStage<BodyBudgetStage>();
    }

    /// <summary>Adds the compaction that gives memory back after a burst of large bodies (the server only).</summary>
    public static IServiceCollection AddBurstCompaction(this IServiceCollection services)
    {
        services.TryAddSingleton<IHeapCompaction, GcHeapCompaction>();
        services.AddHostedService<BurstCompactor>();
        return services;
    }
}
