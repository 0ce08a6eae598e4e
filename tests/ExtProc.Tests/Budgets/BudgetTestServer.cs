using System.Globalization;
using System.Text.Json;
using AiSidecar.ExtProc.Admission.Priority;
using AiSidecar.ExtProc.Budgets;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Budgets;

/// <summary>
/// The real server with budgets on a real Redis, on a fake clock (the budget windows are numbered on it), driven
/// through the Envoy-faithful client with the response body sent (mode_override allowed), as the shipped filter does.
/// </summary>
internal sealed class BudgetTestServer : IAsyncDisposable
{
    /// <summary>10 s into a minute: 50 s are left in its window.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 10, TimeSpan.Zero);

    private BudgetTestServer(TestExtProcServer server, FakeTimeProvider time)
    {
        Server = server;
        Time = time;
    }

    public TestExtProcServer Server { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>Starts a server on <paramref name="redis"/> whose every model has <paramref name="limits"/> (YAML flow map), on <paramref name="time"/> (a new fake clock at <see cref="Start"/> when null).</summary>
    public static async Task<BudgetTestServer> StartAsync(string redis, string limits, string onRedisFailure = "open", FakeTimeProvider? time = null, string keyPrefix = "t:", string tenantHeader = "")
    {
        time ??= new FakeTimeProvider(Start);
        var yaml = $"""
            tokenization:
              encoding: o200k_base
            {RedisServer.ConfigFor(redis, keyPrefix)}
            budgets:
              enabled: true
              onRedisFailure: {onRedisFailure}
              tenantHeader: "{tenantHeader}"
              default: {limits}
            """;
        var server = await TestExtProcServer.StartAsync(yaml, s => s.AddSingleton<TimeProvider>(time));
        await RedisServer.ConnectedAsync(server);
        return new BudgetTestServer(server, time);
    }

    /// <summary>A chat request with <paramref name="maxTokens"/> from <paramref name="apiKey"/>, answered (when forwarded) by <paramref name="upstream"/>.</summary>
    public Task<ExchangeResult> ChatAsync(string apiKey, int maxTokens, Func<ForwardedRequest, UpstreamResponse> upstream, params (string Name, string Value)[] headers)
    {
        var body = JsonSerializer.Serialize(new { model = "gpt-4o", max_tokens = maxTokens, messages = new[] { new { role = "user", content = "How many tokens is this?" } } });
        var request = TrafficExamples.Post("/v1/chat/completions", body, [("authorization", "Bearer " + apiKey), .. headers]);
        return Server.Client(ExtProcChannels.Buffered with { AllowModeOverride = true }).RunAsync(new HttpExchange { Request = request, Upstream = upstream });
    }

    /// <summary>A chat response reporting <paramref name="prompt"/> and <paramref name="completion"/> tokens.</summary>
    public static UpstreamResponse Usage(int prompt, int completion) => UpstreamResponse.Json(
        $$$"""{"id":"c1","object":"chat.completion","model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":{{{prompt}}},"completion_tokens":{{{completion}}},"total_tokens":{{{prompt + completion}}}}}""");

    /// <summary>A chat response reporting the prompt tokens the server counted and <paramref name="completion"/> tokens.</summary>
    public static Func<ForwardedRequest, UpstreamResponse> Counted(int completion) => f => Usage(PromptTokens(f), completion);

    /// <summary>The prompt tokens the server counted for the request it forwarded.</summary>
    public static int PromptTokens(ForwardedRequest forwarded) => int.Parse(forwarded.Headers["x-ai-prompt-tokens"]!, CultureInfo.InvariantCulture);

    /// <summary>The minute-token counter of <paramref name="apiKey"/>'s budget on the model outside the catalogue, as Redis holds it.</summary>
    public long MinuteTokens(RedisServer redis, string apiKey, string keyPrefix = "t:")
    {
        var tenant = "k" + ApiKeyHash.Of("Bearer " + apiKey)![..32];
        var value = redis.Command("GET " + BudgetKey.Keys(keyPrefix, tenant, "", Time.GetUtcNow())[0]);
        return value == "$-1" ? 0 : long.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Waits until every budget lease is released: the server reconciles a reservation when the ext_proc stream ends,
    /// just after the client saw the response.
    /// </summary>
    public async Task ReconciledAsync()
    {
        for (var i = 0; i < 400 && await MetricAsync("extproc_exchange_leases{kind=\"budget\"}") != 0; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(0, await MetricAsync("extproc_exchange_leases{kind=\"budget\"}"));
    }

    public Task<double> MetricAsync(string series) => ScrapedMetrics.ValueAsync(Server.App.Services, series);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
