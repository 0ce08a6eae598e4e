using System.Globalization;
using System.Text.Json;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Budgets;

/// <summary>
/// Token budgets through the real server and a real Redis: reserve prompt + max_tokens, commit the reported usage and
/// refund the rest, 429 with retry-after and OpenAI's rate-limit headers, tenants apart, reservations released when
/// the response reports no usage, and two replicas on one Redis never letting more than the budget through.
/// </summary>
public sealed class BudgetScenarioTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Reserve_ResponseReportsUsage_CommitsTheUsageAndRefundsTheRest()
    {
        await using var server = await BudgetTestServer.StartAsync(redis.Endpoint, "{ tokensPerMinute: 1000, requestsPerMinute: 10 }", keyPrefix: "commit:");
        var prompt = 0;

        var result = await server.ChatAsync("sk-commit", 100, f =>
        {
            prompt = BudgetTestServer.PromptTokens(f);
            return BudgetTestServer.Usage(prompt, 7);
        });

        Assert.Equal(200, result.Response.Status);
        var headers = result.Response.Headers;
        Assert.Equal("1000", headers["x-ratelimit-limit-tokens"]);
        Assert.Equal((1000 - prompt - 100).ToString(CultureInfo.InvariantCulture), headers["x-ratelimit-remaining-tokens"]);
        Assert.Equal("50s", headers["x-ratelimit-reset-tokens"]);
        Assert.Equal("10", headers["x-ratelimit-limit-requests"]);
        Assert.Equal("9", headers["x-ratelimit-remaining-requests"]);
        Assert.Equal("50s", headers["x-ratelimit-reset-requests"]);
        await server.ReconciledAsync();
        Assert.Equal(prompt + 7, server.MinuteTokens(redis, "sk-commit", "commit:"));
        Assert.Equal(prompt + 100, await server.MetricAsync("extproc_budget_reserved_tokens_total{model=\"\"}"));
        Assert.Equal(prompt + 7, await server.MetricAsync("extproc_budget_committed_tokens_total{model=\"\"}"));
        Assert.Equal(93, await server.MetricAsync("extproc_budget_refunded_tokens_total{model=\"\"}"));
    }

    [Fact]
    public async Task Reserve_BudgetSpent_Answers429WithRetryAfterAndRateLimitHeadersUntilTheWindowEnds()
    {
        await using var server = await BudgetTestServer.StartAsync(redis.Endpoint, "{ tokensPerMinute: 300 }", keyPrefix: "spent:");
        var prompt = 0;
        var first = await server.ChatAsync("sk-spent", 200, f => BudgetTestServer.Usage(prompt = BudgetTestServer.PromptTokens(f), 200));
        Assert.Equal(200, first.Response.Status);
        await server.ReconciledAsync();

        var refused = await server.ChatAsync("sk-spent", 200, _ => throw new InvalidOperationException("a refused request never goes upstream"));

        Assert.Equal(429, refused.Response.Status);
        Assert.Equal("50", refused.Response.Headers["retry-after"]);
        Assert.Equal("300", refused.Response.Headers["x-ratelimit-limit-tokens"]);
        Assert.Equal((300 - prompt - 200).ToString(CultureInfo.InvariantCulture), refused.Response.Headers["x-ratelimit-remaining-tokens"]);
        Assert.Equal("50s", refused.Response.Headers["x-ratelimit-reset-tokens"]);
        var error = JsonDocument.Parse(refused.Response.Body).RootElement.GetProperty("error");
        Assert.Equal("tokens", error.GetProperty("type").GetString());
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal(1, await server.MetricAsync("extproc_budget_rejections_total{model=\"\",reason=\"tokens_per_minute\"}"));

        server.Time.Advance(TimeSpan.FromSeconds(50));
        var nextMinute = await server.ChatAsync("sk-spent", 200, BudgetTestServer.Counted(10));
        Assert.Equal(200, nextMinute.Response.Status);
    }

    [Fact]
    public async Task Reserve_RequestsPerMinuteSpent_Answers429OfTypeRequests()
    {
        await using var server = await BudgetTestServer.StartAsync(redis.Endpoint, "{ requestsPerMinute: 1 }", keyPrefix: "rpm:");
        Assert.Equal(200, (await server.ChatAsync("sk-rpm", 10, BudgetTestServer.Counted(5))).Response.Status);

        var refused = await server.ChatAsync("sk-rpm", 10, BudgetTestServer.Counted(5));

        Assert.Equal(429, refused.Response.Status);
        Assert.Equal("0", refused.Response.Headers["x-ratelimit-remaining-requests"]);
        Assert.Equal("requests", JsonDocument.Parse(refused.Response.Body).RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Reserve_OneTenantSpent_AnotherTenantIsAdmitted()
    {
        await using var server = await BudgetTestServer.StartAsync(redis.Endpoint, "{ tokensPerMinute: 300 }", keyPrefix: "tenants:");
        Assert.Equal(200, (await server.ChatAsync("sk-tenant-a", 250, BudgetTestServer.Counted(250))).Response.Status);
        Assert.Equal(429, (await server.ChatAsync("sk-tenant-a", 250, BudgetTestServer.Counted(250))).Response.Status);

        var other = await server.ChatAsync("sk-tenant-b", 250, BudgetTestServer.Counted(250));

        Assert.Equal(200, other.Response.Status);
        Assert.Equal(0, server.MinuteTokens(redis, "sk-tenant-c", "tenants:"));
    }

    [Fact]
    public async Task Reserve_TenantHeader_KeysWithTheSameTenantShareOneBudget()
    {
        await using var server = await BudgetTestServer.StartAsync(redis.Endpoint, "{ tokensPerMinute: 300 }", keyPrefix: "header:", tenantHeader: "x-tenant");
        Assert.Equal(200, (await server.ChatAsync("sk-one", 250, BudgetTestServer.Counted(250), ("x-tenant", "acme"))).Response.Status);

        var sameTenant = await server.ChatAsync("sk-two", 250, BudgetTestServer.Counted(250), ("x-tenant", "acme"));
        var otherTenant = await server.ChatAsync("sk-one", 250, BudgetTestServer.Counted(250), ("x-tenant", "globex"));

        Assert.Equal(429, sameTenant.Response.Status);
        Assert.Equal(200, otherTenant.Response.Status);
    }

    [Theory]
    [InlineData(200, """{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"content":"no usage"}}]}""")]
    [InlineData(500, """{"error":{"message":"engine failed","type":"server_error"}}""")]
    public async Task Release_ResponseWithoutUsage_ReleasesTheWholeReservation(int status, string body)
    {
        await using var server = await BudgetTestServer.StartAsync(redis.Endpoint, "{ tokensPerMinute: 1000 }", keyPrefix: $"release{status}:");

        var result = await server.ChatAsync("sk-release", 100, _ => UpstreamResponse.Json(body, status));

        Assert.Equal(status, result.Response.Status);
        await server.ReconciledAsync();
        Assert.Equal(0, server.MinuteTokens(redis, "sk-release", $"release{status}:"));
        Assert.Equal(1, await server.MetricAsync("extproc_budget_releases_total{model=\"\"}"));
    }

    [Fact]
    public async Task Reserve_TwoReplicasTenConcurrentRequests_NeverMoreThanTheBudget()
    {
        // Two servers on one Redis and one clock; each request may take 150 completion tokens on top of its prompt.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(BudgetTestServer.Start);
        await using var a = await BudgetTestServer.StartAsync(redis.Endpoint, "{ tokensPerMinute: 1000 }", time: time, keyPrefix: "replicas:");
        await using var b = await BudgetTestServer.StartAsync(redis.Endpoint, "{ tokensPerMinute: 1000 }", time: time, keyPrefix: "replicas:");
        var prompts = new System.Collections.Concurrent.ConcurrentBag<int>();
        var charged = new System.Collections.Concurrent.ConcurrentBag<long>();
        UpstreamResponse Answer(ForwardedRequest f)
        {
            // The model server stops after 100 of the 150 tokens it may take: 50 of each reservation come back.
            var prompt = BudgetTestServer.PromptTokens(f);
            prompts.Add(prompt);
            charged.Add(a.MinuteTokens(redis, "sk-shared", "replicas:"));
            return BudgetTestServer.Usage(prompt, 100);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? a : b).ChatAsync("sk-shared", 150, Answer)));

        var admitted = results.Count(r => r.Response.Status == 200);
        var failedOpen = await a.MetricAsync("extproc_budget_failed_open_total{model=\"\"}") + await b.MetricAsync("extproc_budget_failed_open_total{model=\"\"}");
        var redisErrors = string.Join(", ", await Task.WhenAll(new[] { a, b }.Select(s => ScrapedMetrics.ValueAsync(s.Server.App.Services, "extproc_redis_errors_total{operation=\"reserve\",error=\"timeout\"}"))));
        Assert.True(failedOpen == 0, $"{failedOpen} requests went through unbudgeted (Redis timeouts: {redisErrors})");
        Assert.Equal(10, admitted + results.Count(r => r.Response.Status == 429));
        var cost = prompts.First() + 150;
        Assert.All(prompts, p => Assert.Equal(cost - 150, p));
        // As many as fit whole are admitted; one that ends first gives 50 back, which may let one more in, never past the budget.
        Assert.InRange(admitted, 1000 / cost, 1000 / (cost - 50));
        Assert.True(admitted * (cost - 50) <= 1000, $"{admitted} requests of {cost - 50} tokens went through a budget of 1000");
        Assert.All(charged, c => Assert.InRange(c, cost, 1000));   // reserved and charged, as each request went upstream
        await a.ReconciledAsync();
        await b.ReconciledAsync();
        Assert.Equal(admitted * (cost - 50), a.MinuteTokens(redis, "sk-shared", "replicas:"));
    }
}
