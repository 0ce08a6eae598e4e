using System.Globalization;
using AiSidecar.EngineSimulator;
using AiSidecar.ExtProc.Coalescing;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.Testing;
using SimulatedEngine = AiSidecar.EngineSimulator.EngineSimulator;

namespace AiSidecar.ExtProc.Tests.Budgets;

/// <summary>A coalesced answer is the server's own: it carries the rate-limit headers and its usage settles the reservation.</summary>
public sealed class BudgetCoalescedTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Reserve_CoalescedAnswer_CarriesTheHeadersAndCommitsItsUsage()
    {
        await using var engine = await SimulatedEngine.StartAsync(new SimulatorOptions { CostModel = CostModel.Free });
        await using var server = await TestExtProcServer.StartAsync($$"""
            {{RedisServer.ConfigFor(redis.Endpoint, "coalesced:")}}
            budgets:
              enabled: true
              models:
                bge: { tokensPerMinute: 1000 }
            {{CoalescedCatalogue.For(engine.BaseAddress)}}
            """, "--processing:messageTimeoutMs=60000");
        await RedisServer.ConnectedAsync(server);

        var result = await server.Client().RunAsync(CoalescedCatalogue.Embeddings("hello there"));

        Assert.Equal(200, result.Response.Status);
        Assert.Single(result.Response.Headers.GetAll(CoalesceStage.CoalescedHeader));
        var remaining = long.Parse(result.Response.Headers["x-ratelimit-remaining-tokens"]!, CultureInfo.InvariantCulture);
        Assert.Equal("1000", result.Response.Headers["x-ratelimit-limit-tokens"]);
        Assert.InRange(remaining, 1, 999);
        await Until.TrueAsync(async () => await ScrapedMetrics.ValueAsync(server.App.Services, "extproc_budget_commits_total{model=\"bge\"}") == 1, "the reservation committed");
        var usage = System.Text.Json.JsonDocument.Parse(result.Response.Body).RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt64();
        Assert.Equal(usage, await ScrapedMetrics.ValueAsync(server.App.Services, "extproc_budget_committed_tokens_total{model=\"bge\"}"));
    }
}
