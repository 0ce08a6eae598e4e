using System.Text.Json;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Caching;

/// <summary>
/// The response cache through the real server and a real Redis: a hit after a miss (never upstream, the same body),
/// tenants apart, streams replayed with the original content and usage, which requests are cacheable, cache-control,
/// and which responses are stored.
/// </summary>
public sealed class CacheScenarioTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Lookup_SameRequestAgain_AnsweredFromTheCacheWithTheStoredBody()
    {
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "hit:");
        var body = CacheTestServer.Chat("What is 2+2?");
        var upstream = CacheTestServer.Answer("4");

        var miss = await server.SendAsync(body, _ => upstream);
        server.Time!.Advance(TimeSpan.FromSeconds(7));
        var hit = await server.SendAsync(body, CacheTestServer.NotCalled);

        Assert.NotNull(miss.Forwarded);
        Assert.Equal("miss", miss.Response.Headers["x-ai-cache"]);
        Assert.Equal(200, hit.Response.Status);
        Assert.Null(hit.Forwarded);
        Assert.Equal("hit", hit.Response.Headers["x-ai-cache"]);
        Assert.Equal("application/json", hit.Response.Headers["content-type"]);
        Assert.Equal("7", hit.Response.Headers["age"]);
        Assert.Equal(upstream.BodyChunks.SelectMany(c => c).ToArray(), hit.Response.Body);
        Assert.Equal(1, await server.MetricAsync("extproc_cache_lookups_total{model=\"\",result=\"miss\"}"));
        Assert.Equal(1, await server.MetricAsync("extproc_cache_lookups_total{model=\"\",result=\"hit\"}"));
        Assert.Equal(1, await server.MetricAsync("extproc_cache_writes_total{model=\"\",result=\"stored\"}"));
        Assert.Equal(hit.Response.Body.Length, await server.MetricAsync("extproc_cache_bytes_total{model=\"\",direction=\"served\"}"));
        Assert.Equal(hit.Response.Body.Length, await server.MetricAsync("extproc_cache_bytes_total{model=\"\",direction=\"stored\"}"));
    }

    [Fact]
    public async Task Lookup_SameRequestOtherApiKey_NeverSharedAcrossTenants()
    {
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "tenants:");
        var body = CacheTestServer.Chat("Whose answer is this?");
        await server.SendAsync(body, _ => CacheTestServer.Answer("tenant-one"), apiKey: "sk-one");

        var other = await server.SendAsync(body, _ => CacheTestServer.Answer("tenant-two"), apiKey: "sk-two");
        var anonymous = await server.SendAsync(body, _ => CacheTestServer.Answer("nobody"), apiKey: "");
        var same = await server.SendAsync(body, CacheTestServer.NotCalled, apiKey: "sk-one");

        Assert.Equal("miss", other.Response.Headers["x-ai-cache"]);
        Assert.Contains("tenant-two", other.Response.BodyText, StringComparison.Ordinal);
        Assert.Equal("miss", anonymous.Response.Headers["x-ai-cache"]);
        Assert.Contains("tenant-one", same.Response.BodyText, StringComparison.Ordinal);
        Assert.Equal(3, await CacheTestServer.KeyCountAsync(redis, "tenants:"));
    }

    [Fact]
    public async Task Lookup_TenantHeader_KeysOfOneTenantShareAndTenantsDoNot()
    {
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "theader:", "  tenantHeader: x-tenant");
        var body = CacheTestServer.Chat("Shared within a tenant?");
        await server.SendAsync(body, _ => CacheTestServer.Answer("acme"), apiKey: "sk-one", headers: ("x-tenant", "acme"));

        var sameTenant = await server.SendAsync(body, CacheTestServer.NotCalled, apiKey: "sk-two", headers: ("x-tenant", "acme"));
        var otherTenant = await server.SendAsync(body, _ => CacheTestServer.Answer("globex-answer"), apiKey: "sk-one", headers: ("x-tenant", "globex"));
        var noHeader = await server.SendAsync(body, _ => CacheTestServer.Answer("key-one"), apiKey: "sk-one");

        Assert.Equal("hit", sameTenant.Response.Headers["x-ai-cache"]);
        Assert.Equal("miss", otherTenant.Response.Headers["x-ai-cache"]);
        Assert.Equal("miss", noHeader.Response.Headers["x-ai-cache"]);
    }

    [Fact]
    public async Task Lookup_StreamedMissThenStreamedHit_ReplaysTheOriginalContentWithUsage()
    {
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "stream:");
        var body = CacheTestServer.Chat("Count to three.", "\"temperature\":0,\"stream\":true,\"stream_options\":{\"include_usage\":true}");
        var original = await server.SendAsync(body, _ => CacheTestServer.Stream(["One", ", two", ", three", "."]));

        var replay = await server.SendAsync(body, CacheTestServer.NotCalled);

        Assert.Equal("miss", original.Response.Headers["x-ai-cache"]);
        Assert.Equal("hit", replay.Response.Headers["x-ai-cache"]);
        Assert.Equal("text/event-stream", replay.Response.Headers["content-type"]);
        var originalEvents = CacheTestServer.Events(original.Response.BodyText);
        var replayEvents = CacheTestServer.Events(replay.Response.BodyText);
        Assert.Equal("One, two, three.", CacheTestServer.Content(originalEvents));
        Assert.Equal(CacheTestServer.Content(originalEvents), CacheTestServer.Content(replayEvents));
        Assert.All(replayEvents, e => Assert.Equal("chat.completion.chunk", e.GetProperty("object").GetString()));
        Assert.All(replayEvents, e => Assert.Equal("chatcmpl-2", e.GetProperty("id").GetString()));
        Assert.Equal("stop", replayEvents.SelectMany(e => e.GetProperty("choices").EnumerateArray())
            .Select(c => c.GetProperty("finish_reason")).Single(f => f.ValueKind == JsonValueKind.String).GetString());
        var usage = replayEvents[^1];
        Assert.Equal(0, usage.GetProperty("choices").GetArrayLength());
        Assert.Equal(originalEvents[^1].GetProperty("usage").ToString(), usage.GetProperty("usage").ToString());
    }

    [Fact]
    public async Task Lookup_StreamedMissThenPlainHit_AnswersTheAssembledCompletion()
    {
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "assembled:");
        var streamed = CacheTestServer.Chat("Say hello.", "\"seed\":7,\"stream\":true");
        var plain = CacheTestServer.Chat("Say hello.", "\"seed\":7");
        var original = await server.SendAsync(streamed, _ => CacheTestServer.Stream(["Hel", "lo", "!"]));

        var hit = await server.SendAsync(plain, CacheTestServer.NotCalled);

        // The client did not ask for usage: the server asked the model server for it (the entry needs it) and removed it.
        Assert.DoesNotContain(CacheTestServer.Events(original.Response.BodyText), e => e.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object);
        Assert.Equal("hit", hit.Response.Headers["x-ai-cache"]);
        var completion = JsonDocument.Parse(hit.Response.Body).RootElement;
        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        var choice = completion.GetProperty("choices")[0];
        Assert.Equal("Hello!", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(3, completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Lookup_PlainMissThenStreamedHitWithoutIncludeUsage_ReplaysWithUsageOnTheLastChunk()
    {
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "tostream:");
        await server.SendAsync(CacheTestServer.Chat("Name a colour."), _ => CacheTestServer.Answer("Blue", completion: 1));

        var hit = await server.SendAsync(CacheTestServer.Chat("Name a colour.", "\"temperature\":0,\"stream\":true"), CacheTestServer.NotCalled);

        var events = CacheTestServer.Events(hit.Response.BodyText);
        Assert.Equal("Blue", CacheTestServer.Content(events));
        Assert.DoesNotContain(events, e => e.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("tool_calls", out _));
        Assert.All(events, e => Assert.NotEqual(0, e.GetProperty("choices").GetArrayLength()));
        Assert.Equal(1, events[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("stop", events[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Lookup_EntryNotWrittenByTheServer_IsAMissAndOverwritten()
    {
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "foreign:", "  localMaxBytes: 0");
        var body = CacheTestServer.Chat("Overwritten?", "\"temperature\":0,\"stream\":true");
        await server.SendAsync(body, _ => CacheTestServer.Stream(["first"]));
        Assert.StartsWith("foreign:cache:", await redis.CommandAsync(
            "EVAL \"local k = redis.call('KEYS', ARGV[1])[1]; redis.call('SET', k, string.char(1,0,0,0,0,0,0,0,0) .. 'not json'); return k\" 0 foreign:cache:*"),
            StringComparison.Ordinal);

        var foreign = await server.SendAsync(body, _ => CacheTestServer.Stream(["second"]));
        var hit = await server.SendAsync(body, CacheTestServer.NotCalled);

        Assert.Equal("miss", foreign.Response.Headers["x-ai-cache"]);
        Assert.Equal("second", CacheTestServer.Content(CacheTestServer.Events(hit.Response.BodyText)));
    }

    [Fact]
    public async Task Lookup_LocalCopy_AnsweredWithoutRedisUntilItExpires()
    {
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "local:", "  localTtlSeconds: 10");
        var body = CacheTestServer.Chat("Local?");
        await server.SendAsync(body, _ => CacheTestServer.Answer("kept"));
        const string LocalHits = "extproc_cache_local_hits_total{model=\"\"}";

        var local = await server.SendAsync(body, CacheTestServer.NotCalled);
        server.Time!.Advance(TimeSpan.FromSeconds(11));
        var fromRedis = await server.SendAsync(body, CacheTestServer.NotCalled);
        var localAgain = await server.SendAsync(body, CacheTestServer.NotCalled);

        Assert.All(new[] { local, fromRedis, localAgain }, r => Assert.Equal("hit", r.Response.Headers["x-ai-cache"]));
        Assert.Equal(3, await server.MetricAsync("extproc_cache_lookups_total{model=\"\",result=\"hit\"}"));
        Assert.Equal(2, await server.MetricAsync(LocalHits));
    }

    [Fact]
    public async Task Lookup_LocalCopy_NeverKeptPastTheEntrysTtl()
    {
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "localttl:", "  localTtlSeconds: 60\n  default: { ttlSeconds: 5 }");
        var body = CacheTestServer.Chat("Short-lived?");
        await server.SendAsync(body, _ => CacheTestServer.Answer("brief"));

        // Past the entry's 5 s on the server's clock (Redis, on the real one, still has it): no local copy is answered or kept.
        server.Time!.Advance(TimeSpan.FromSeconds(6));
        var first = await server.SendAsync(body, CacheTestServer.NotCalled);
        var second = await server.SendAsync(body, CacheTestServer.NotCalled);

        Assert.Equal("hit", first.Response.Headers["x-ai-cache"]);
        Assert.Equal("hit", second.Response.Headers["x-ai-cache"]);
        Assert.Equal(0, await server.MetricAsync("extproc_cache_local_hits_total{model=\"\"}"));
    }

    [Fact]
    public async Task Lookup_EquivalentBodies_ShareOneEntry()
    {
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "canonical:");
        await server.SendAsync("""{"model":"gpt-4o","messages":[{"role":"user","content":"caf\u00e9?"}],"temperature":0,"max_tokens":20,"user":"alice"}""",
            _ => CacheTestServer.Answer("Yes"));

        // Members reordered, whitespace, escapes, number spelling, another user, a stream flag: the same request.
        var same = await server.SendAsync("""{ "max_tokens" : 20, "temperature": 0.0, "user": "bob", "stream": false, "messages": [{"content": "café?", "role": "user"}], "model": "gpt-4o" }""",
            CacheTestServer.NotCalled);

        Assert.Equal("hit", same.Response.Headers["x-ai-cache"]);
    }

    [Theory]
    [InlineData("\"temperature\":0,\"max_tokens\":21")]
    [InlineData("\"temperature\":0,\"top_p\":0.5,\"max_tokens\":20")]
    [InlineData("\"seed\":1,\"max_tokens\":20")]
    [InlineData("\"temperature\":0,\"max_tokens\":20,\"n\":2")]
    public async Task Lookup_AnOutputDeterminingFieldDiffers_Misses(string changed)
    {
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "differs:");
        await server.SendAsync(CacheTestServer.Chat("Differs?", "\"temperature\":0,\"max_tokens\":20"), _ => CacheTestServer.Answer("No"));

        var other = await server.SendAsync(CacheTestServer.Chat("Differs?", changed), _ => CacheTestServer.Answer("Yes"));

        Assert.Equal("miss", other.Response.Headers["x-ai-cache"]);
    }

    [Theory]
    [InlineData("\"temperature\":0.7")]
    [InlineData("\"max_tokens\":5")]
    [InlineData("\"temperature\":0,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}]")]
    public async Task Lookup_NotDeterministic_NeverCachedUnlessMarked(string extra)
    {
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "sampled:", "  cacheableHeader: x-cacheable");
        var body = CacheTestServer.Chat("Tell me a story.", extra);

        var first = await server.SendAsync(body, _ => CacheTestServer.Answer("Once"));
        var second = await server.SendAsync(body, _ => CacheTestServer.Answer("Upon"));
        var marked = await server.SendAsync(body, _ => CacheTestServer.Answer("A time"), headers: ("x-cacheable", "true"));
        var markedAgain = await server.SendAsync(body, CacheTestServer.NotCalled, headers: ("x-cacheable", "true"));

        Assert.Null(first.Response.Headers["x-ai-cache"]);
        Assert.NotNull(second.Forwarded);
        Assert.Equal("miss", marked.Response.Headers["x-ai-cache"]);
        Assert.Equal("hit", markedAgain.Response.Headers["x-ai-cache"]);
        Assert.Contains("A time", markedAgain.Response.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_Embeddings_CachedWithoutSamplingParameters()
    {
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "embed:");
        const string Body = """{"model":"text-embedding-3-small","input":["a cached vector"]}""";
        const string Answer = """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":3,"total_tokens":3}}""";
        await server.SendAsync(Body, _ => UpstreamResponse.Json(Answer), path: "/v1/embeddings");

        var hit = await server.SendAsync(Body, CacheTestServer.NotCalled, path: "/v1/embeddings");

        Assert.Equal("hit", hit.Response.Headers["x-ai-cache"]);
        Assert.Equal(Answer, hit.Response.BodyText);
    }

    [Fact]
    public async Task Lookup_CacheControl_NoStoreNeitherReadsNorWritesAndNoCacheRefreshes()
    {
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, "control:");
        var body = CacheTestServer.Chat("Fresh, please.");

        var noStore = await server.SendAsync(body, _ => CacheTestServer.Answer("first"), headers: ("cache-control", "no-store"));
        Assert.Equal(0, await CacheTestServer.KeyCountAsync(redis, "control:"));
        await server.SendAsync(body, _ => CacheTestServer.Answer("second"));
        var noCache = await server.SendAsync(body, _ => CacheTestServer.Answer("third"), headers: ("cache-control", "max-age=0, No-Cache"));
        var hit = await server.SendAsync(body, CacheTestServer.NotCalled);

        Assert.Null(noStore.Response.Headers["x-ai-cache"]);
        Assert.Equal("miss", noCache.Response.Headers["x-ai-cache"]);
        Assert.Contains("third", hit.Response.BodyText, StringComparison.Ordinal);
        Assert.Equal(2, await server.MetricAsync("extproc_cache_lookups_total{model=\"\",result=\"bypass\"}"));
    }

    [Theory]
    [InlineData("not_ok")]
    [InlineData("no_store")]
    [InlineData("too_large")]
    [InlineData("incomplete")]
    [InlineData("unsupported")]
    public async Task Store_ResponseNotCompleteOrNotStorable_NotStoredAndCounted(string result)
    {
        await using var server = await CacheTestServer.StartAsync(redis.Endpoint, $"refused-{result}:", "  default: { maxEntryBytes: 1024 }");
        var streamed = result == "incomplete";
        var body = CacheTestServer.Chat("Store this?", streamed ? "\"temperature\":0,\"stream\":true" : "\"temperature\":0");
        UpstreamResponse response = result switch
        {
            "not_ok" => UpstreamResponse.Json("""{"error":{"message":"busy","type":"server_error"}}""", 503),
            "no_store" => CacheTestServer.Answer("secret") with { Headers = CacheTestServer.Answer("secret").Headers.Clone().Add("cache-control", "private, no-store") },
            "too_large" => CacheTestServer.Answer(new string('x', 2000)),
            "incomplete" => CacheTestServer.Stream(["cut"], finish: "length") with { BodyChunks = CacheTestServer.Stream(["cut"]).BodyChunks.Take(2).ToList() },
            _ => UpstreamResponse.Json("""{"object":"error","message":"engine error","code":500}"""),
        };

        var first = await server.SendAsync(body, _ => response);
        var second = await server.SendAsync(body, _ => CacheTestServer.Answer("fresh"));

        Assert.Equal("miss", first.Response.Headers["x-ai-cache"]);
        Assert.Equal("miss", second.Response.Headers["x-ai-cache"]);
        Assert.Equal(1, await server.MetricAsync($"extproc_cache_writes_total{{model=\"\",result=\"{result}\"}}"));
    }
}
