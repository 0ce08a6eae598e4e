using AiSidecar.EngineSimulator;
using AiSidecar.ExtProc.Coalescing;
using AiSidecar.ExtProc.Tests.Infrastructure;
using SimulatedEngine = AiSidecar.EngineSimulator.EngineSimulator;

namespace AiSidecar.ExtProc.Tests.Caching;

/// <summary>A coalesced answer is the server's own, seen by no response stage: a miss stores it, and the next identical request is a hit.</summary>
public sealed class CacheCoalescedTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Store_CoalescedAnswer_StoredAndTheNextRequestIsAHit()
    {
        await using var engine = await SimulatedEngine.StartAsync(new SimulatorOptions { CostModel = CostModel.Free });
        await using var server = await TestExtProcServer.StartAsync($$"""
            {{RedisServer.ConfigFor(redis.Endpoint, "coalesced:")}}
            cache:
              enabled: true
            {{CoalescedCatalogue.For(engine.BaseAddress)}}
            """, "--processing:messageTimeoutMs=60000");
        await RedisServer.ConnectedAsync(server);

        var coalesced = await server.Client().RunAsync(CoalescedCatalogue.Embeddings("hello there"));
        var hit = await server.Client().RunAsync(CoalescedCatalogue.Embeddings("hello there"));

        Assert.Single(coalesced.Response.Headers.GetAll(CoalesceStage.CoalescedHeader));
        Assert.Equal("miss", coalesced.Response.Headers["x-ai-cache"]);
        Assert.Equal("hit", hit.Response.Headers["x-ai-cache"]);
        Assert.Empty(hit.Response.Headers.GetAll(CoalesceStage.CoalescedHeader));
        Assert.Equal(coalesced.Response.Body, hit.Response.Body);
        Assert.Equal(1, await ScrapedMetrics.ValueAsync(server.App.Services, "extproc_cache_writes_total{model=\"bge\",result=\"stored\"}"));
        Assert.Equal(1, await ScrapedMetrics.ValueAsync(server.App.Services, "extproc_coalesce_batches_total{pool=\"embed\",result=\"ok\"}"));
    }
}
