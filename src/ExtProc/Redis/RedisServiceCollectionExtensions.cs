using AiSidecar.ExtProc.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the server's Redis connection (the server only: the commands never call Redis).</summary>
internal static class RedisServiceCollectionExtensions
{
    /// <summary>Adds the one <see cref="RedisConnection"/>, connected at start when <c>redis.endpoints</c> names a server.</summary>
    public static IServiceCollection AddRedis(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        if (services.Any(d => d.ServiceType == typeof(RedisConnection)))
        {
            return services;
        }

        services.AddSingleton<RedisConnection>();
        return services.AddHostedService(sp => sp.GetRequiredService<RedisConnection>());
    }
}
