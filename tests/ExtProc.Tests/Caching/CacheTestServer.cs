using System.Globalization;
using System.Text;
using System.Text.Json;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Caching;

/// <summary>
/// The real server with the response cache on a real Redis, on a fake clock, driven through the Envoy-faithful client
/// with the response body sent (mode_override allowed), as the shipped filter does.
/// </summary>
internal sealed class CacheTestServer : IAsyncDisposable
{
    private CacheTestServer(TestExtProcServer server, FakeTimeProvider? time)
    {
        Server = server;
        Time = time;
    }

    public TestExtProcServer Server { get; }

    /// <summary>The server's clock; null when it runs on the real one.</summary>
    public FakeTimeProvider? Time { get; }

    /// <summary>
    /// Starts a server with the cache on <paramref name="redis"/> on a fake clock (or <paramref name="time"/>);
    /// <paramref name="cache"/> is more of the <c>cache</c> section (YAML, indented two spaces).
    /// </summary>
    public static async Task<CacheTestServer> StartAsync(string redis, string keyPrefix, string cache = "", int redisTimeoutMs = 2000, TimeProvider? time = null)
    {
        time ??= new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var yaml = $"""
            tokenization:
              encoding: o200k_base
            {RedisServer.ConfigFor(redis, keyPrefix, redisTimeoutMs)}
            cache:
              enabled: true
            {cache}
            """;
        var server = await TestExtProcServer.StartAsync(yaml, s => s.AddSingleton<TimeProvider>(time));
        await RedisServer.ConnectedAsync(server);
        return new CacheTestServer(server, time as FakeTimeProvider);
    }

    /// <summary>A chat body asking <paramref name="question"/> with <paramref name="extra"/> members (JSON, without braces) after it.</summary>
    public static string Chat(string question, string extra = "\"temperature\":0") =>
        $$"""{"model":"gpt-4o","messages":[{"role":"user","content":{{JsonSerializer.Serialize(question)}}}],{{extra}}}""";

    /// <summary>Sends <paramref name="body"/> to <paramref name="path"/> as <paramref name="apiKey"/>, answered (when forwarded) by <paramref name="upstream"/>.</summary>
    public Task<ExchangeResult> SendAsync(string body, Func<ForwardedRequest, UpstreamResponse> upstream, string apiKey = "sk-one",
        string path = "/v1/chat/completions", params (string Name, string Value)[] headers)
    {
        var request = TrafficExamples.Post(path, body, [("authorization", "Bearer " + apiKey), .. headers]);
        return Server.Client(ExtProcChannels.Buffered with { AllowModeOverride = true }).RunAsync(new HttpExchange { Request = request, Upstream = upstream });
    }

    /// <summary>An upstream that must not be called: the request was to be answered from the cache.</summary>
    public static UpstreamResponse NotCalled(ForwardedRequest forwarded) =>
        throw new InvalidOperationException("a cache hit never goes upstream");

    /// <summary>vLLM's chat answer <paramref name="content"/>, with usage.</summary>
    public static UpstreamResponse Answer(string content, int prompt = 12, int completion = 3) => UpstreamResponse.Json(
        $$$"""{"id":"chatcmpl-1","object":"chat.completion","created":1764504000,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":{{{JsonSerializer.Serialize(content)}}},"tool_calls":[]},"logprobs":null,"finish_reason":"stop","stop_reason":null}],"usage":{"prompt_tokens":{{{prompt}}},"total_tokens":{{{prompt + completion}}},"completion_tokens":{{{completion}}}}}""");

    /// <summary>vLLM's streamed chat answer: a role chunk, one chunk per piece of <paramref name="pieces"/>, a finish chunk, the usage chunk when <paramref name="usage"/>, [DONE]; one body chunk per event.</summary>
    public static UpstreamResponse Stream(string[] pieces, bool usage = true, string finish = "stop")
    {
        const string Envelope = "\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1764504000,\"model\":\"gpt-4o\"";
        var events = new List<string> { $$"""{{{Envelope}},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""" };
        events.AddRange(pieces.Select(p => $$"""{{{Envelope}},"choices":[{"index":0,"delta":{"content":{{JsonSerializer.Serialize(p)}}},"logprobs":null,"finish_reason":null}]}"""));
        events.Add($$"""{{{Envelope}},"choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"{{finish}}","stop_reason":null}]}""");
        if (usage)
        {
            events.Add($$$"""{{{{Envelope}}},"choices":[],"usage":{"prompt_tokens":12,"total_tokens":{{{12 + pieces.Length}}},"completion_tokens":{{{pieces.Length}}}}}""");
        }

        events.Add("[DONE]");
        return new UpstreamResponse
        {
            Headers = new HttpHeaderList().Add("content-type", "text/event-stream; charset=utf-8"),
            BodyChunks = [.. events.Select(e => Encoding.UTF8.GetBytes($"data: {e}\n\n"))],
        };
    }

    /// <summary>The JSON of each <c>data:</c> event of an SSE body, <c>[DONE]</c> left out; fails when the body is not SSE ending with [DONE].</summary>
    public static List<JsonElement> Events(string sse)
    {
        var events = sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        return [.. events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.Clone())];
    }

    /// <summary>The content the events' deltas add up to, for choice 0.</summary>
    public static string Content(IEnumerable<JsonElement> events) => string.Concat(events
        .SelectMany(e => e.GetProperty("choices").EnumerateArray())
        .Select(c => c.GetProperty("delta").TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String ? content.GetString() : ""));

    public Task<double> MetricAsync(string series) => ScrapedMetrics.ValueAsync(Server.App.Services, series);

    /// <summary>The cache's keys in Redis under <paramref name="keyPrefix"/>.</summary>
    public static async Task<int> KeyCountAsync(RedisServer redis, string keyPrefix)
    {
        var reply = await redis.CommandAsync($"EVAL \"return #redis.call('KEYS', ARGV[1])\" 0 {keyPrefix}cache:*");
        return int.Parse(reply.TrimStart(':'), CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
