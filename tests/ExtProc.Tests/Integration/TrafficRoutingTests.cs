using System.Globalization;
using System.Text;
using System.Text.Json;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using static AiSidecar.ExtProc.Tests.Infrastructure.TrafficExamples;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>The registry through Envoy's filter: version, variant and pool headers, rewrites, errors (examples/traffic/config.yaml).</summary>
public sealed class TrafficRoutingTests
{
    private static readonly EnvoyFilterConfig Duplex = ExtProcChannels.TestConfig with
    {
        RequestBodyMode = BodySendMode.FullDuplexStreamed,
        RequestTrailerMode = HeaderSendMode.Send,
    };

    private static void AssertContentLengthMatches(ForwardedRequest forwarded) =>
        Assert.Equal(forwarded.Body.Length.ToString(CultureInfo.InvariantCulture), forwarded.Headers["content-length"]);

    [Fact]
    public async Task Process_AliasWithUserHeader_SetsModelVersionVariantPoolAndRewritesModel()
    {
        await using var server = await TestExtProcServer.StartAsync(Config);

        var result = await server.Client().RunAsync(HttpExchange.For(Post("/v1/chat/completions", InferenceBodies.Chat("hi", "qwen3"), ("x-user-id", "alice"))));

        var forwarded = result.Forwarded!;
        Assert.Equal(("qwen3-8b", "v1", "stable", "llm-chat"),
            (forwarded.Headers["x-ai-model"], forwarded.Headers["x-ai-version"], forwarded.Headers["x-ai-variant"], forwarded.Headers["x-ai-pool"]));
        Assert.True(forwarded.RouteCacheCleared);
        Assert.Equal("Qwen/Qwen3-8B", JsonDocument.Parse(forwarded.Body).RootElement.GetProperty("model").GetString());
        AssertContentLengthMatches(forwarded);
    }

    [Fact]
    public async Task Process_CompletionsMarkedChat_ForwardsAChatRequestOnTheChatPath()
    {
        await using var server = await TestExtProcServer.StartAsync(Config);
        const string body = """{"model":"qwen3-8b","prompt":"Write a haiku","max_tokens":20,"temperature":0.5}""";

        var result = await server.Client().RunAsync(HttpExchange.For(Post("/v1/completions", body, ("x-model-type", "chat"))));

        var forwarded = result.Forwarded!;
        Assert.Equal("/v1/chat/completions", forwarded.Path);
        var chat = JsonDocument.Parse(forwarded.Body).RootElement;
        Assert.Equal("Write a haiku", chat.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal((20, 0.5), (chat.GetProperty("max_tokens").GetInt32(), chat.GetProperty("temperature").GetDouble()));
        Assert.Equal("Qwen/Qwen3-8B", chat.GetProperty("model").GetString());
        AssertContentLengthMatches(forwarded);
        Assert.Equal(200, result.Response.Status);
    }

    [Fact]
    public async Task Process_CompletionsMarkedChatFullDuplex_StreamsTheChatBodyOnTheChatPath()
    {
        await using var server = await TestExtProcServer.StartAsync(Config);
        const string body = """{"model":"qwen3","prompt":"Write a haiku"}""";

        var result = await server.Client(Duplex).RunAsync(HttpExchange.For(Post("/v1/completions", body, ("x-model-type", "chat"))));

        var forwarded = result.Forwarded!;
        Assert.Equal("/v1/chat/completions", forwarded.Path);
        Assert.True(JsonDocument.Parse(forwarded.Body).RootElement.TryGetProperty("messages", out _));
        Assert.Null(forwarded.Headers["content-length"]);
    }

    [Fact]
    public async Task Process_ClientSendsVariantAndVersionHeaders_ServerDecisionReplacesThem()
    {
        await using var server = await TestExtProcServer.StartAsync(Config);

        var result = await server.Client().RunAsync(HttpExchange.For(Post("/v1/chat/completions", InferenceBodies.Chat("hi", "qwen3"),
            ("x-user-id", "alice"), ("x-ai-variant", "canary"), ("x-ai-version", "v2"), ("x-ai-pool", "llm-secret"))));

        var headers = result.Forwarded!.Headers;
        Assert.Equal(["stable"], headers.GetAll("x-ai-variant"));
        Assert.Equal(["v1"], headers.GetAll("x-ai-version"));
        Assert.Equal(["llm-chat"], headers.GetAll("x-ai-pool"));
    }

    [Fact]
    public async Task Process_ExperimentHeader_PinsTheCanaryForAUserOnStable()
    {
        await using var server = await TestExtProcServer.StartAsync(Config);

        var result = await server.Client().RunAsync(HttpExchange.For(Post("/v1/chat/completions", InferenceBodies.Chat("hi", "qwen3"),
            ("x-user-id", "alice"), ("x-experiment", "qwen-fp8"))));

        Assert.Equal(("v2", "canary"), (result.Forwarded!.Headers["x-ai-version"], result.Forwarded.Headers["x-ai-variant"]));
        Assert.Equal("Qwen/Qwen3-8B-FP8", JsonDocument.Parse(result.Forwarded.Body).RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Process_ExperimentOutsideTheAllowList_IsIgnoredAndCounted()
    {
        await using var server = await TestExtProcServer.StartAsync(Config);

        var result = await server.Client().RunAsync(HttpExchange.For(Post("/v1/chat/completions", InferenceBodies.Chat("hi", "qwen3"), ("x-experiment", "ended-trial"))));

        Assert.Equal(("v1", "stable"), (result.Forwarded!.Headers["x-ai-version"], result.Forwarded.Headers["x-ai-variant"]));
        var metrics = await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("extproc_experiments_ignored_total{model=\"qwen3-8b\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_UnknownModel_Is404ModelNotFound()
    {
        await using var server = await TestExtProcServer.StartAsync(Config);

        var result = await server.Client().RunAsync(HttpExchange.For(Post("/v1/chat/completions", InferenceBodies.Chat("hi", "gpt-5"))));

        Assert.Equal("model_not_found", ApiErrorBody.Read(result, 404).Code);
    }

    [Theory]
    [InlineData("/v1/embeddings", "embeddings", "llm-embed")]
    [InlineData("/v1/rerank", "rerank", "llm-rerank")]
    public async Task Process_EmbeddingsAndRerank_GoToTheirOwnPools(string path, string api, string pool)
    {
        await using var server = await TestExtProcServer.StartAsync(Config);
        var body = api == "embeddings" ? InferenceBodies.Embedding("x", "bge-m3") : InferenceBodies.Rerank("q", "d", "bge-reranker-v2");

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post(path, body)));

        Assert.Equal(pool, result.Forwarded!.Headers["x-ai-pool"]);
        AssertContentLengthMatches(result.Forwarded);
    }

    [Fact]
    public async Task Process_NoRegistry_SetsNoVersionOrVariantAndStripsClientCopies()
    {
        await using var server = await TestExtProcServer.StartAsync();

        var result = await server.Client().RunAsync(HttpExchange.For(Post("/v1/completions", InferenceBodies.Completion("hi"), ("x-ai-variant", "canary"))));

        Assert.Null(result.Forwarded!.Headers["x-ai-variant"]);
        Assert.Null(result.Forwarded.Headers["x-ai-version"]);
        Assert.Equal("llm-small", result.Forwarded.Headers["x-ai-pool"]);
        Assert.Equal(InferenceBodies.Completion("hi"), Encoding.UTF8.GetString(result.Forwarded.Body));
    }
}
