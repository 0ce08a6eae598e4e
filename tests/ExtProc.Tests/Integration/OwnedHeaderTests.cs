using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>Client-sent copies of the four routing headers never reach the upstream.</summary>
public sealed class OwnedHeaderTests
{
    private static HttpHeaderList Spoofed() => new HttpHeaderList()
        .Add("x-ai-model", "evil").Add("x-ai-model", "evil2")
        .Add("x-ai-prompt-tokens", "1")
        .Add("X-Token-Range", "large")
        .Add("x-ai-pool", "llm-large");

    [Fact]
    public async Task Process_InferenceRequestWithSpoofedHeaders_OverwritesEachWithOneServerValue()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var request = DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hi"));
        foreach (var (name, value) in Spoofed())
        {
            request.Headers.Add(name, value);
        }

        var result = await server.Client().RunAsync(HttpExchange.For(request));

        var headers = result.Forwarded!.Headers;
        Assert.Equal(["gpt-4o"], headers.GetAll("x-ai-model"));
        Assert.Equal(["small"], headers.GetAll("x-token-range"));
        Assert.Equal(["llm-small"], headers.GetAll("x-ai-pool"));
        Assert.NotEqual("1", Assert.Single(headers.GetAll("x-ai-prompt-tokens")));
    }

    [Theory]
    [InlineData("gpt-4o ", 400)]
    [InlineData("gpt-4o\r\nx-ai-pool: llm-large", 400)]
    [InlineData("gpt\u200b-4o", 400)]
    [InlineData("my model/v2:latest", 200)]
    public async Task Process_ModelOutsideTheCatalogue_IsForwardedInTheModelHeaderOnlyWhenHeaderSafe(string model, int status)
    {
        await using var server = await TestExtProcServer.StartAsync();

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hi", model))));

        Assert.Equal(status, result.Response.Status);
        Assert.Equal(status == 200 ? [model] : null, result.Forwarded?.Headers.GetAll("x-ai-model"));
    }

    [Fact]
    public async Task Process_PassthroughRequestWithSpoofedHeaders_RemovesThemAndClearsRouteCache()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var request = DownstreamRequest.Get("/v1/models") with { Headers = Spoofed().Add("x-keep", "1") };

        var result = await server.Client().RunAsync(HttpExchange.For(request));

        var headers = result.Forwarded!.Headers;
        Assert.Null(headers["x-ai-model"]);
        Assert.Null(headers["x-ai-prompt-tokens"]);
        Assert.Null(headers["x-token-range"]);
        Assert.Null(headers["x-ai-pool"]);
        Assert.Equal("1", headers["x-keep"]);
        Assert.True(result.Forwarded.RouteCacheCleared);
    }

    [Fact]
    public async Task Process_StreamedInferenceWithSpoofedHeaders_RemovesThemInHeadersAnswer()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var request = DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion("hi")) with { Headers = Spoofed() };
        var config = ExtProcChannels.TestConfig with { RequestBodyMode = BodySendMode.Streamed };

        var result = await server.Client(config).RunAsync(HttpExchange.For(request));

        Assert.Null(result.Forwarded!.Headers["x-ai-pool"]);
        Assert.Null(result.Forwarded.Headers["x-ai-model"]);
        Assert.True(result.Forwarded.RouteCacheCleared);
    }
}
