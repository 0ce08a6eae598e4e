using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>Which method and path combinations are inspected, and which pass through untouched.</summary>
public sealed class InferencePathsTests
{
    public static TheoryData<string, string> InferenceRequests => new()
    {
        { "/v1/chat/completions", InferenceBodies.Chat("hi") },
        { "/v1/completions", InferenceBodies.Completion("hi") },
        { "/v1/embeddings", InferenceBodies.Embedding("hi") },
        { "/v1/responses", InferenceBodies.Responses("hi") },
        { "/v1/rerank", InferenceBodies.Rerank("q", "doc") },
        { "/rerank", InferenceBodies.Rerank("q", "doc") },
        { "/v1/chat/completions?api-version=2024-06-01", InferenceBodies.Chat("hi") },
    };

    [Theory]
    [MemberData(nameof(InferenceRequests))]
    public async Task Process_InferencePost_IsInspectedAndRouted(string path, string body)
    {
        await using var server = await TestExtProcServer.StartAsync();

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post(path, body)));

        Assert.Equal(200, result.Response.Status);
        Assert.NotNull(result.Forwarded!.Headers["x-ai-prompt-tokens"]);
        Assert.Equal("llm-small", result.Forwarded.Headers["x-ai-pool"]);
        Assert.True(result.Forwarded.RouteCacheCleared);
    }

    [Theory]
    [InlineData("post", "/v1/chat/completions")]
    [InlineData("POST", "/V1/Chat/Completions/")]
    [InlineData("POST", "/v1//chat/./completions;x=y")]
    [InlineData("POST", "/v1%2Fembeddings")]
    [InlineData("GET", "/v1/chat/completions")]
    [InlineData("PUT", "/v1/embeddings")]
    public async Task Process_AnotherSpellingOrABodyWithAnotherMethod_IsInspected(string method, string path)
    {
        await using var server = await TestExtProcServer.StartAsync();
        var request = DownstreamRequest.Post(path, "not json at all") with { Method = method };

        var result = await server.Client().RunAsync(HttpExchange.For(request));

        Assert.Equal("invalid_json", ApiErrorBody.Read(result, 400).Code);
        Assert.Null(result.Forwarded);
    }

    [Theory]
    [InlineData("GET", "/v1/models")]
    [InlineData("POST", "/v1/chat/completions/extra")]
    [InlineData("POST", "/v2/chat/completions")]
    [InlineData("POST", "/v1/chat/completions%3Fx")]
    public async Task Process_OtherPath_PassesThroughUntouched(string method, string path)
    {
        await using var server = await TestExtProcServer.StartAsync();
        var request = DownstreamRequest.Post(path, "not json at all") with { Method = method };

        var result = await server.Client().RunAsync(HttpExchange.For(request));

        var forwarded = result.Forwarded!;
        Assert.Equal(HttpHeaderList.FromHeaderMap(result.Sent[0].RequestHeaders.Headers).ToString(), forwarded.Headers.ToString());
        Assert.Equal("not json at all", forwarded.BodyText);
        Assert.False(forwarded.RouteCacheCleared);
        Assert.All(result.Received, r => Assert.Null(r.ImmediateResponse));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("DELETE")]
    public async Task Process_AnotherMethodWithoutABody_PassesThroughUntouched(string method)
    {
        await using var server = await TestExtProcServer.StartAsync();

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Get("/v1/chat/completions") with { Method = method }));

        Assert.Equal(200, result.Response.Status);
        Assert.False(result.Forwarded!.RouteCacheCleared);
        Assert.All(result.Received, r => Assert.Null(r.ImmediateResponse));
    }
}
