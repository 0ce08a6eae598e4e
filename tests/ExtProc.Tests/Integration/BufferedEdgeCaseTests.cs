using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>BUFFERED corner cases that Envoy itself would turn into a 500 if the server got them wrong.</summary>
public sealed class BufferedEdgeCaseTests
{
    [Theory]
    [InlineData("gpt\n4o")]
    [InlineData("gpt\r4o")]
    [InlineData("gpt\u00004o")]
    public async Task Process_ModelWithControlCharacter_Returns400InsteadOfInvalidHeader(string model)
    {
        await using var server = await TestExtProcServer.StartAsync();

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hi", model))));

        ApiErrorBody.Read(result, 400);
    }

    [Fact]
    public async Task Process_NonAsciiModel_IsForwardedAsUtf8Header()
    {
        await using var server = await TestExtProcServer.StartAsync();

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hi", "modèle-ü"))));

        Assert.Equal("modèle-ü", result.Forwarded!.Headers["x-ai-model"]);
    }

    [Fact]
    public async Task Process_BodyFollowedByTrailers_IsRoutedAndTrailersAnswered()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var config = ExtProcChannels.Buffered with { RequestTrailerMode = HeaderSendMode.Send };
        var request = DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion("hi")) with { Trailers = new HttpHeaderList().Add("x-t", "1") };

        var result = await server.Client(config).RunAsync(HttpExchange.For(request));

        Assert.False(Assert.Single(result.Sent, m => m.RequestBody is not null).RequestBody.EndOfStream);
        Assert.Single(result.Received, r => r.RequestTrailers is not null);
        Assert.Equal("llm-small", result.Forwarded!.Headers["x-ai-pool"]);
        Assert.Equal("1", result.Forwarded.Trailers!["x-t"]);
    }

    [Fact]
    public async Task Process_HeaderModeSkip_PassesBodyThroughUnchanged()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var config = ExtProcChannels.Buffered with { RequestHeaderMode = HeaderSendMode.Skip, RequestAttributes = ["request.path", "request.method"] };

        var result = await server.Client(config).RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion("hi"))));

        Assert.Null(result.LocalReply);
        Assert.Equal(InferenceBodies.Completion("hi"), result.Forwarded!.BodyText);
    }

    [Fact]
    public async Task Process_ContentLengthKept_MatchesForwardedBody()
    {
        await using var server = await TestExtProcServer.StartAsync();

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hi"))));

        var forwarded = result.Forwarded!;
        Assert.Equal(forwarded.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), forwarded.Headers["content-length"]);
    }
}
