using AiSidecar.ExtProc.Redis;
using AiSidecar.ExtProc.Tests.Caching;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.Testing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace AiSidecar.ExtProc.Tests.Redis;

/// <summary>The one Redis connection's error series, against a real redis-server.</summary>
public sealed class RedisConnectionTests
{
    /// <summary>
    /// Every operation's and error's series is exported at 0 before any call, so a rate of them (the RedisErrors
    /// alert's figure) reads 0 on a healthy server instead of nothing.
    /// </summary>
    [Fact]
    public async Task StartAsync_RedisConfigured_EveryErrorSeriesStartsAtZero()
    {
        await using var redis = await RedisServer.StartedAsync();
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "zero:");

        var text = await PrometheusText.ScrapeAsync(server.Server.App.Services.GetRequiredService<CollectorRegistry>());

        string[] expected = [.. RedisOperation.All.SelectMany(o => RedisOperation.Errors.Select(e => $"extproc_redis_errors_total{{operation=\"{o}\",error=\"{e}\"}} 0"))];
        Assert.Equal(20, expected.Length);
        Assert.Equal(expected.Order(StringComparer.Ordinal), PrometheusText.Series(text, "extproc_redis_errors_total").Order(StringComparer.Ordinal));
    }
}
