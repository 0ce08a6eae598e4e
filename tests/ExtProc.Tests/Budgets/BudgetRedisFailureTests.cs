using System.Text.Json;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Budgets;

/// <summary>
/// Redis killed under a running server: with <c>onRedisFailure: open</c> requests keep flowing unbudgeted, with
/// <c>closed</c> they get 503 budget_unavailable; no stream fails and no lease is left behind, and budgets resume
/// when Redis is back. Each test kills its own Redis.
/// </summary>
public sealed class BudgetRedisFailureTests
{
    [Fact]
    public async Task Reserve_RedisKilledMidRunFailOpen_RequestsKeepFlowingAndNothingLeaks()
    {
        await using var redis = await RedisServer.StartedAsync();
        await using var server = await BudgetTestServer.StartAsync(redis.Endpoint, "{ tokensPerMinute: 100000 }", onRedisFailure: "open");
        Assert.Equal(200, (await server.ChatAsync("sk-open", 50, BudgetTestServer.Counted(5))).Response.Status);
        await server.ReconciledAsync();

        // Killed while a request holds its reservation: the reconciliation fails, the stream does not.
        var during = await server.ChatAsync("sk-open", 50, f =>
        {
            redis.KillAsync().GetAwaiter().GetResult();
            return BudgetTestServer.Counted(5)(f);
        });
        var after = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => server.ChatAsync("sk-open", 50, BudgetTestServer.Counted(5))));

        Assert.Equal(200, during.Response.Status);
        Assert.All(after, r => Assert.Equal(200, r.Response.Status));
        Assert.All(after, r => Assert.True(r.ServerStatus is null or { StatusCode: Grpc.Core.StatusCode.OK }));
        Assert.All(after, r => Assert.Null(r.Response.Headers["x-ratelimit-limit-tokens"]));
        await server.ReconciledAsync();
        Assert.Equal(5, await server.MetricAsync("extproc_budget_failed_open_total{model=\"\"}"));
        Assert.Equal(5, await server.MetricAsync("extproc_redis_errors_total{operation=\"reserve\",error=\"connection\"}"));
        Assert.Equal(1, await server.MetricAsync("extproc_redis_errors_total{operation=\"commit\",error=\"connection\"}"));
    }

    [Fact]
    public async Task Reserve_RedisKilledFailClosed_Answers503UntilRedisIsBack()
    {
        await using var redis = await RedisServer.StartedAsync();
        await using var server = await BudgetTestServer.StartAsync(redis.Endpoint, "{ tokensPerMinute: 100000 }", onRedisFailure: "closed");
        Assert.Equal(200, (await server.ChatAsync("sk-closed", 50, BudgetTestServer.Counted(5))).Response.Status);
        await server.ReconciledAsync();

        await redis.KillAsync();
        var refused = await server.ChatAsync("sk-closed", 50, _ => throw new InvalidOperationException("a refused request never goes upstream"));

        Assert.Equal(503, refused.Response.Status);
        Assert.True(refused.ServerStatus is null or { StatusCode: Grpc.Core.StatusCode.OK });
        Assert.Equal("1", refused.Response.Headers["retry-after"]);
        Assert.Equal("service_unavailable", JsonDocument.Parse(refused.Response.Body).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, await server.MetricAsync("extproc_budget_rejections_total{model=\"\",reason=\"redis_unavailable\"}"));

        // Back on the same port: the multiplexer reconnects by itself and budgets apply again.
        await redis.StartAsync();
        var back = await RetryUntilAdmittedAsync(server);
        Assert.Equal("100000", back.Response.Headers["x-ratelimit-limit-tokens"]);
    }

    /// <summary>The reconnect runs on the client's own timer (real time): asks until a request is admitted, at most 20 s.</summary>
    private static async Task<EnvoyFilter.ExchangeResult> RetryUntilAdmittedAsync(BudgetTestServer server)
    {
        for (var i = 0; ; i++)
        {
            var result = await server.ChatAsync("sk-closed", 50, BudgetTestServer.Counted(5));
            if (result.Response.Status == 200 || i == 200)
            {
                Assert.Equal(200, result.Response.Status);
                return result;
            }

            await Task.Delay(100);
        }
    }
}
