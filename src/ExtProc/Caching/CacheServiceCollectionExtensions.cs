using AiSidecar.ExtProc.Caching;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the response cache (the server only: the commands never call Redis).</summary>
internal static class CacheServiceCollectionExtensions
{
    /// <summary>Adds the Redis connection, the cache store and writer, the looking-up stage and the storing response stage.</summary>
    public static IServiceCollection AddResponseCache(this IServiceCollection services)
    {
        services.AddRedis();
        services.TryAddSingleton<LocalEntries>();
        services.TryAddSingleton<CacheStore>();
        services.TryAddSingleton<CacheWriter>();
        return services.AddRequestStage<CacheStage>().AddResponseStage<CacheResponseStage>();
    }
}
