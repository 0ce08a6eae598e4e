using System.Globalization;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiSidecar.ExtProc.Tests.Protocol;

/// <summary>Messages at the edges of the protocol: a chunk that cannot be the whole body is never judged as one; an empty message is an error.</summary>
public sealed class ProcessingStreamEdgeTests
{
    private const string Chat = """{"model":"m","messages":[{"role":"user","content":"Hello there"}]}""";

    private static ProcessingRequest HeadersWithLength(int length) =>
        StreamHarness.Headers("/v1/chat/completions", extra: ("content-length", length.ToString(CultureInfo.InvariantCulture)));

    [Fact]
    public async Task HandleAsync_BufferedChunkShortOfContentLength_ObservesTheWholeBodyAsStreamed()
    {
        // BUFFERED is assumed (no protocol_config), but the filter streams: the first chunk is not the whole body.
        using var harness = new StreamHarness();
        await harness.SendAsync(HeadersWithLength(Chat.Length));

        Assert.True(await harness.SendAsync(StreamHarness.Body(Chat[..20], endOfStream: false)));
        Assert.True(await harness.SendAsync(StreamHarness.Body(Chat[20..], endOfStream: true)));

        Assert.Equal(3, harness.Replies.Count);
        Assert.All(harness.Replies.Skip(1), r => Assert.Null(r.RequestBody.Response));
        Assert.Equal(1, await harness.MetricAsync("extproc_requests_total{decision=\"observed\"}"));
        Assert.Equal(0, await harness.MetricAsync("extproc_errors_total{kind=\"invalid_json\"}"));
    }

    [Fact]
    public async Task HandleAsync_BufferedPartialPrefixThatParses_Answers413WithoutJudgingIt()
    {
        // The part Envoy buffered is itself valid JSON; the rest (padding here) would pass by unprocessed.
        using var harness = new StreamHarness(StreamHarness.Mode("BUFFERED_PARTIAL"));
        await harness.SendAsync(HeadersWithLength(Chat.Length + 10_000));

        Assert.False(await harness.SendAsync(StreamHarness.Body(Chat, endOfStream: false)));

        var immediate = harness.Replies[^1].ImmediateResponse;
        Assert.Equal(413, (int)immediate.Status.Code);
        Assert.Equal("ai_sidecar_body_truncated", immediate.Details);
    }

    [Fact]
    public async Task HandleAsync_BufferedPartialWithoutLengthOrEndOfStream_Answers413()
    {
        using var harness = new StreamHarness(StreamHarness.Mode("BUFFERED_PARTIAL"));
        await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions"));

        Assert.False(await harness.SendAsync(StreamHarness.Body(Chat, endOfStream: false)));

        Assert.Equal(413, (int)harness.Replies[^1].ImmediateResponse.Status.Code);
    }

    [Fact]
    public async Task HandleAsync_BufferedPartialWholeLengthBeforeTrailers_Decides()
    {
        using var harness = new StreamHarness(StreamHarness.Mode("BUFFERED_PARTIAL"));
        await harness.SendAsync(HeadersWithLength(Chat.Length));

        Assert.True(await harness.SendAsync(StreamHarness.Body(Chat, endOfStream: false)));

        Assert.True(harness.Replies[^1].RequestBody.Response.ClearRouteCache);
    }

    [Theory]
    [InlineData("STREAMED")]
    [InlineData("FULL_DUPLEX_STREAMED")]
    [InlineData("BUFFERED")]
    public async Task HandleAsync_EndOfStreamShortOfContentLength_Answers413(string mode)
    {
        using var harness = new StreamHarness(StreamHarness.Mode(mode));
        await harness.SendAsync(HeadersWithLength(Chat.Length + 1));

        Assert.False(await harness.SendAsync(StreamHarness.Body(Chat, endOfStream: true)));

        Assert.Equal("ai_sidecar_body_truncated", harness.Replies[^1].ImmediateResponse.Details);
    }

    [Fact]
    public async Task HandleAsync_StreamedChunksWithoutEndOfStream_AreNeverJudged()
    {
        using var harness = new StreamHarness(StreamHarness.Mode("STREAMED"));
        await harness.SendAsync(HeadersWithLength(Chat.Length));

        // All of content-length, but no end_of_stream yet: still only answered, not judged.
        await harness.SendAsync(StreamHarness.Body(Chat, endOfStream: false));

        Assert.Null(harness.Replies[^1].RequestBody.Response);
        Assert.Equal(0, await harness.MetricAsync("extproc_requests_total{decision=\"observed\"}"));
    }

    [Fact]
    public async Task HandleAsync_EmptyRequest_ThrowsInvalidArgument()
    {
        using var harness = new StreamHarness();

        var error = await Assert.ThrowsAsync<RpcException>(() => harness.SendAsync(new ProcessingRequest()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("none of request_headers", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(harness.Replies);
    }
}
