using System.Globalization;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>BUFFERED requests to inference endpoints get the routing headers and a re-route.</summary>
public sealed class InferenceRoutingTests
{
    private const string SmallTinyRanges = """
        catalogue:
          ranges:
            - { name: tiny, maxTokens: 10, pool: pool-tiny }
            - { name: rest, pool: pool-rest }
        """;

    [Fact]
    public async Task Process_ChatCompletion_SetsRoutingHeadersInBodyAnswerAndClearsRouteCache()
    {
        await using var server = await TestExtProcServer.StartAsync();
        const string content = "Hello there, how are you today?";

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat(content))));

        var forwarded = Assert.IsType<ForwardedRequest>(result.Forwarded);
        Assert.Equal("gpt-4o", forwarded.Headers["x-ai-model"]);
        Assert.Equal(ExpectedTokens.Chat(("user", content)).ToString(CultureInfo.InvariantCulture), forwarded.Headers["x-ai-prompt-tokens"]);
        Assert.Equal("small", forwarded.Headers["x-token-range"]);
        Assert.Equal("llm-small", forwarded.Headers["x-ai-pool"]);
        Assert.True(forwarded.RouteCacheCleared);
        var bodyAnswer = Assert.Single(result.Received, r => r.RequestBody is not null).RequestBody.Response;
        Assert.True(bodyAnswer.ClearRouteCache);
        Assert.NotNull(bodyAnswer.HeaderMutation);
        Assert.All(bodyAnswer.HeaderMutation.SetHeaders, h => Assert.Equal(string.Empty, h.Header.Value));
        Assert.Equal(200, result.Response.Status);
    }

    [Fact]
    public async Task Process_Completion_CountsPromptWithoutChatOverhead()
    {
        await using var server = await TestExtProcServer.StartAsync();
        const string prompt = "Once upon a time, in a land far away";

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion(prompt))));

        Assert.Equal(ExpectedTokens.Text(prompt).ToString(CultureInfo.InvariantCulture), result.Forwarded!.Headers["x-ai-prompt-tokens"]);
    }

    [Theory]
    [InlineData(10, "tiny", "pool-tiny")]
    [InlineData(11, "rest", "pool-rest")]
    public async Task Process_PromptAtRangeBoundary_SelectsRangeByMaxTokensInclusive(int tokens, string range, string pool)
    {
        await using var server = await TestExtProcServer.StartAsync(SmallTinyRanges);
        var body = InferenceBodies.Completion(ExpectedTokens.TextOfTokens(tokens));

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", body)));

        Assert.Equal(range, result.Forwarded!.Headers["x-token-range"]);
        Assert.Equal(pool, result.Forwarded.Headers["x-ai-pool"]);
    }
}
