using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.Testing;

namespace AiSidecar.ExtProc.Tests.Caching;

/// <summary>
/// Redis killed or stalled under a running server: every request goes on to the model server uncached, none fails,
/// the failures are counted, and the cache works again once Redis is back. Each test has its own Redis.
/// </summary>
public sealed class CacheRedisFailureTests
{
    [Fact]
    public async Task Lookup_RedisKilledMidRun_RequestsKeepFlowingUncachedAndCachingResumes()
    {
        await using var redis = await RedisServer.StartedAsync();
        // Local copies off: every lookup asks Redis (Lookup_LocalCopy_ServesWhileRedisIsDown has them on).
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "killed:", "  localMaxBytes: 0");
        var body = CacheTestServer.Chat("Still there?");
        await server.SendAsync(body, _ => CacheTestServer.Answer("yes"));
        Assert.Equal("hit", (await server.SendAsync(body, CacheTestServer.NotCalled)).Response.Headers["x-ai-cache"]);

        // Killed while a missed request's response is on its way: its write fails, its stream does not.
        var during = await server.SendAsync(CacheTestServer.Chat("Killed now?"), _ =>
        {
            redis.KillAsync().GetAwaiter().GetResult();
            return CacheTestServer.Answer("answered anyway");
        });
        var after = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => server.SendAsync(body, _ => CacheTestServer.Answer("from the model"))));

        Assert.Equal(200, during.Response.Status);
        Assert.Equal("miss", during.Response.Headers["x-ai-cache"]);
        Assert.All(after, r => Assert.Equal(200, r.Response.Status));
        Assert.All(after, r => Assert.NotNull(r.Forwarded));
        Assert.All(after, r => Assert.Null(r.Response.Headers["x-ai-cache"]));
        Assert.All(after, r => Assert.True(r.ServerStatus is null or { StatusCode: Grpc.Core.StatusCode.OK }));
        Assert.Equal(5, await server.MetricAsync("extproc_cache_lookups_total{model=\"\",result=\"unavailable\"}"));
        Assert.Equal(1, await server.MetricAsync("extproc_cache_writes_total{model=\"\",result=\"unavailable\"}"));
        Assert.Equal(5, await server.MetricAsync("extproc_redis_errors_total{operation=\"cache_get\",error=\"connection\"}"));

        // Back on the same port (empty: nothing was saved): the multiplexer reconnects by itself, misses and stores again.
        await redis.StartAsync();
        await MissUntilConnectedAsync(server, body);
        Assert.Equal("hit", (await server.SendAsync(body, CacheTestServer.NotCalled)).Response.Headers["x-ai-cache"]);
    }

    [Fact]
    public async Task Lookup_RedisStalled_TheRequestGoesOnAfterTheOperationTimeout()
    {
        await using var redis = await RedisServer.StartedAsync();
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "stalled:", "  localMaxBytes: 0", redisTimeoutMs: 500, time: TimeProvider.System);
        var body = CacheTestServer.Chat("Slow?");
        await Until.TrueAsync(async () =>
        {
            // The first calls on a cold server may outlast the timeout themselves: store until one is stored.
            await server.SendAsync(body, _ => CacheTestServer.Answer("cached"));
            return await server.MetricAsync("extproc_cache_writes_total{model=\"\",result=\"stored\"}") == 1;
        }, "an entry stored");
        var unavailable = await server.MetricAsync("extproc_cache_lookups_total{model=\"\",result=\"unavailable\"}");
        var timeouts = await server.MetricAsync("extproc_redis_errors_total{operation=\"cache_get\",error=\"timeout\"}");

        // Redis answers nobody for 5 s; the lookup gives up at its timeout (500 ms, on the real clock) and the model server answers.
        Assert.Equal("+OK", await redis.CommandAsync("CLIENT PAUSE 5000 ALL"));
        var stalled = await server.SendAsync(body, _ => CacheTestServer.Answer("fresh"));

        Assert.Equal(200, stalled.Response.Status);
        Assert.Contains("fresh", stalled.Response.BodyText, StringComparison.Ordinal);
        Assert.Equal(unavailable + 1, await server.MetricAsync("extproc_cache_lookups_total{model=\"\",result=\"unavailable\"}"));
        Assert.Equal(timeouts + 1, await server.MetricAsync("extproc_redis_errors_total{operation=\"cache_get\",error=\"timeout\"}"));
    }

    [Fact]
    public async Task Lookup_LocalCopy_ServesWhileRedisIsDown()
    {
        await using var redis = await RedisServer.StartedAsync();
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "down:");
        var body = CacheTestServer.Chat("Kept here?");
        await server.SendAsync(body, _ => CacheTestServer.Answer("kept"));

        await redis.KillAsync();
        var hit = await server.SendAsync(body, CacheTestServer.NotCalled);
        var other = await server.SendAsync(CacheTestServer.Chat("Never asked before?"), _ => CacheTestServer.Answer("from the model"));

        Assert.Equal("hit", hit.Response.Headers["x-ai-cache"]);
        Assert.Contains("kept", hit.Response.BodyText, StringComparison.Ordinal);
        Assert.Equal(200, other.Response.Status);
        Assert.Null(other.Response.Headers["x-ai-cache"]);
        Assert.Equal(1, await server.MetricAsync("extproc_cache_local_hits_total{model=\"\"}"));
        Assert.Equal(1, await server.MetricAsync("extproc_cache_lookups_total{model=\"\",result=\"unavailable\"}"));
    }

    /// <summary>The reconnect runs on the client's own timer (real time): sends until a request is a miss again (looked up), at most 20 s.</summary>
    private static async Task MissUntilConnectedAsync(CacheTestServer server, string body)
    {
        for (var i = 0; ; i++)
        {
            var result = await server.SendAsync(body, _ => CacheTestServer.Answer("stored again"));
            if (result.Response.Headers["x-ai-cache"] == "miss" || i == 200)
            {
                Assert.Equal("miss", result.Response.Headers["x-ai-cache"]);
                return;
            }

            await Task.Delay(100);
        }
    }
}
