using System.Globalization;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>FULL_DUPLEX_STREAMED: the server buffers, answers the held headers with the decision, streams the body back.</summary>
public sealed class FullDuplexModeTests
{
    private static readonly EnvoyFilterConfig Duplex = ExtProcChannels.TestConfig with
    {
        RequestBodyMode = BodySendMode.FullDuplexStreamed,
        RequestTrailerMode = HeaderSendMode.Send,
    };

    [Fact]
    public async Task Process_ChunkedInference_RoutesOnHeadersAnswerAndEchoesBody()
    {
        await using var server = await TestExtProcServer.StartAsync();
        const string content = "stream me please";
        var body = InferenceBodies.Chat(content);

        var result = await server.Client(Duplex).RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", body, chunkSize: 16)));

        var forwarded = result.Forwarded!;
        Assert.Equal(body, forwarded.BodyText);
        Assert.True(forwarded.RouteCacheCleared);
        Assert.Equal(ExpectedTokens.Chat(("user", content)).ToString(CultureInfo.InvariantCulture), forwarded.Headers["x-ai-prompt-tokens"]);
        Assert.Null(forwarded.Headers["content-length"]);
        var streamed = result.Received.Where(r => r.RequestBody is not null).Select(r => r.RequestBody.Response.BodyMutation.StreamedResponse).ToList();
        Assert.True(streamed[^1].EndOfStream);
    }

    [Fact]
    public async Task Process_BodyLargerThanOneStreamedChunk_IsEchoedCompletely()
    {
        await using var server = await TestExtProcServer.StartAsync();
        // Words, not one 200 KB run of a letter: BPE on a single huge word is quadratic (see the report).
        var body = InferenceBodies.Completion(string.Concat(Enumerable.Repeat("hello world ", 20_000)));

        var result = await server.Client(Duplex).RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", body, chunkSize: 16_384)));

        Assert.Equal(body, result.Forwarded!.BodyText);
    }

    [Fact]
    public async Task Process_ChunkedInferenceWithTrailers_AnswersTrailersAndEchoesBody()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var body = InferenceBodies.Completion("with trailers");
        var request = DownstreamRequest.Post("/v1/completions", body, chunkSize: 10) with { Trailers = new HttpHeaderList().Add("x-checksum", "1") };

        var result = await server.Client(Duplex).RunAsync(HttpExchange.For(request));

        Assert.Equal(body, result.Forwarded!.BodyText);
        Assert.Equal("1", result.Forwarded.Trailers!["x-checksum"]);
        Assert.Equal("llm-small", result.Forwarded.Headers["x-ai-pool"]);
    }

    [Fact]
    public async Task Process_PassthroughPath_EchoesBody()
    {
        await using var server = await TestExtProcServer.StartAsync();

        var result = await server.Client(Duplex).RunAsync(HttpExchange.For(DownstreamRequest.Post("/upload", "raw bytes", chunkSize: 3)));

        Assert.Equal("raw bytes", result.Forwarded!.BodyText);
        Assert.Null(result.Forwarded.Headers["x-ai-pool"]);
    }

    [Fact]
    public async Task Process_InvalidJson_Returns400()
    {
        await using var server = await TestExtProcServer.StartAsync();

        var result = await server.Client(Duplex).RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", "{nope", chunkSize: 2)));

        ApiErrorBody.Read(result, 400);
    }
}
