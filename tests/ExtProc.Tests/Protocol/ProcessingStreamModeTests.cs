using System.Text;
using Envoy.Config.Core.V3;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;

namespace AiSidecar.ExtProc.Tests.Protocol;

public sealed class ProcessingStreamModeTests
{
    private const string Chat = """{"model":"m","messages":[{"role":"user","content":"Hello there"}]}""";

    [Fact]
    public async Task HandleAsync_Streamed_AnswersEveryChunkAndDecidesOnZeroByteLastChunk()
    {
        using var harness = new StreamHarness(StreamHarness.Mode("STREAMED"));
        await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions"));

        await harness.SendAsync(StreamHarness.Body(Chat[..10], endOfStream: false));
        await harness.SendAsync(StreamHarness.Body(Chat[10..], endOfStream: false));
        await harness.SendAsync(StreamHarness.Body([], endOfStream: true));

        Assert.Equal(4, harness.Replies.Count);
        Assert.All(harness.Replies.Skip(1), r => Assert.Null(r.RequestBody.Response));
        Assert.Equal(1, await harness.MetricAsync("extproc_requests_total{decision=\"observed\"}"));
    }

    [Fact]
    public async Task HandleAsync_StreamedBadJson_AnswersErrorOnLastChunk()
    {
        using var harness = new StreamHarness(StreamHarness.Mode("STREAMED"));
        await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions"));
        await harness.SendAsync(StreamHarness.Body("{\"messages\":", endOfStream: false));

        Assert.False(await harness.SendAsync(StreamHarness.Body("oops", endOfStream: true)));

        Assert.Equal(400, (int)harness.Replies[^1].ImmediateResponse.Status.Code);
    }

    [Fact]
    public async Task HandleAsync_FullDuplex_HoldsHeadersThenAnswersDecisionAndStreamsBodyBack()
    {
        // A message timeout far above the first count's tokenizer load (the harness does not warm up): a count this
        // large observes the hold deadline.
        var options = StreamHarness.Mode("FULL_DUPLEX_STREAMED");
        options["processing:messageTimeoutMs"] = "60000";
        using var harness = new StreamHarness(options);
        var big = $$"""{"model":"m","prompt":"{{new string('a', 150_000)}}"}""";
        await harness.SendAsync(StreamHarness.Headers("/v1/completions"));
        await harness.SendAsync(StreamHarness.Body(big[..70_000], endOfStream: false));
        Assert.Empty(harness.Replies);

        await harness.SendAsync(StreamHarness.Body(big[70_000..], endOfStream: true));

        var headers = harness.Replies[0].RequestHeaders.Response;
        Assert.True(headers.ClearRouteCache);
        Assert.Contains(headers.HeaderMutation.SetHeaders, h => h.Header.Key == "x-token-range");
        var chunks = harness.Replies.Skip(1).Select(r => r.RequestBody.Response.BodyMutation.StreamedResponse).ToList();
        Assert.True(chunks.Count >= 3);
        Assert.All(chunks, c => Assert.True(c.Body.Length <= 64 * 1024));
        Assert.Equal([.. Enumerable.Repeat(false, chunks.Count - 1), true], chunks.Select(c => c.EndOfStream));
        Assert.Equal(big, string.Concat(chunks.Select(c => c.Body.ToStringUtf8())));
    }

    [Fact]
    public async Task HandleAsync_FullDuplexWithTrailers_EndsBodyWithoutEosThenAnswersTrailers()
    {
        using var harness = new StreamHarness(StreamHarness.Mode("FULL_DUPLEX_STREAMED"));
        await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions"));
        await harness.SendAsync(StreamHarness.Body(Chat, endOfStream: false));

        await harness.SendAsync(new ProcessingRequest { RequestTrailers = new HttpTrailers() });

        Assert.Equal(
            [ProcessingResponse.ResponseOneofCase.RequestHeaders, ProcessingResponse.ResponseOneofCase.RequestBody, ProcessingResponse.ResponseOneofCase.RequestTrailers],
            harness.Replies.Select(r => r.ResponseCase));
        Assert.False(harness.Replies[1].RequestBody.Response.BodyMutation.StreamedResponse.EndOfStream);
    }

    [Fact]
    public async Task HandleAsync_BufferedPartialTruncated_Answers413()
    {
        using var harness = new StreamHarness(StreamHarness.Mode("BUFFERED_PARTIAL"));
        await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions"));

        Assert.False(await harness.SendAsync(StreamHarness.Body(Chat[..30], endOfStream: false)));

        var immediate = harness.Replies[^1].ImmediateResponse;
        Assert.Equal(413, (int)immediate.Status.Code);
        Assert.Equal("ai_sidecar_body_truncated", immediate.Details);
    }

    [Fact]
    public async Task HandleAsync_BufferedPartialMalformedBeforeTrailers_Answers400NotTruncated()
    {
        const string Malformed = """{"messages":}""";
        using var harness = new StreamHarness(StreamHarness.Mode("BUFFERED_PARTIAL"));
        await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions", extra: ("content-length", Malformed.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        // All of content-length arrived; end_of_stream is false only because trailers follow.
        Assert.False(await harness.SendAsync(StreamHarness.Body(Malformed, endOfStream: false)));

        Assert.Equal(400, (int)harness.Replies[^1].ImmediateResponse.Status.Code);
    }

    [Fact]
    public async Task HandleAsync_BufferedPartialWhole_Decides()
    {
        using var harness = new StreamHarness(StreamHarness.Mode("BUFFERED_PARTIAL"));
        await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions"));

        await harness.SendAsync(StreamHarness.Body(Chat, endOfStream: true));

        Assert.True(harness.Replies[^1].RequestBody.Response.ClearRouteCache);
    }

    [Fact]
    public async Task HandleAsync_ProtocolConfig_OverridesAssumedMode()
    {
        using var harness = new StreamHarness();
        var headers = StreamHarness.Headers("/v1/chat/completions");
        headers.ProtocolConfig = new ProtocolConfiguration { RequestBodyMode = ProcessingMode.Types.BodySendMode.FullDuplexStreamed };

        await harness.SendAsync(headers);

        Assert.Empty(harness.Replies);
    }

    [Fact]
    public async Task HandleAsync_ObservabilityMode_NeverReplies()
    {
        using var harness = new StreamHarness(StreamHarness.Mode("STREAMED"));
        var headers = StreamHarness.Headers("/v1/chat/completions");
        headers.ObservabilityMode = true;

        await harness.SendAsync(headers);
        await harness.SendAsync(StreamHarness.Body("not json", endOfStream: true));
        await harness.SendAsync(new ProcessingRequest { ResponseHeaders = new HttpHeaders(), ObservabilityMode = true });

        Assert.Empty(harness.Replies);
        Assert.Equal(1, await harness.MetricAsync("extproc_errors_total{kind=\"invalid_json\"}"));
    }

    [Fact]
    public async Task HandleAsync_BodyModeNone_AnswersHeadersAndCountsUnrouted()
    {
        using var harness = new StreamHarness(StreamHarness.Mode("NONE"));

        await harness.SendAsync(StreamHarness.Headers("/v1/chat/completions"));

        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestHeaders, harness.Replies.Single().ResponseCase);
        Assert.Equal(1, await harness.MetricAsync("extproc_requests_total{decision=\"unrouted\"}"));
    }

    [Fact]
    public async Task HandleAsync_ResponseDirection_CountsStatusAndPassesBodiesThrough()
    {
        using var harness = new StreamHarness();
        var response = StreamHarness.Headers("/x");
        response.ResponseHeaders = response.RequestHeaders;
        response.ResponseHeaders.Headers.Headers.Add(new HeaderValue { Key = ":status", RawValue = ByteString.CopyFromUtf8("503") });

        await harness.SendAsync(response);
        await harness.SendAsync(new ProcessingRequest { ResponseBody = new HttpBody { Body = ByteString.CopyFrom(Encoding.UTF8.GetBytes("{}")), EndOfStream = true } });
        await harness.SendAsync(new ProcessingRequest { ResponseTrailers = new HttpTrailers() });

        Assert.Equal(
            [ProcessingResponse.ResponseOneofCase.ResponseHeaders, ProcessingResponse.ResponseOneofCase.ResponseBody, ProcessingResponse.ResponseOneofCase.ResponseTrailers],
            harness.Replies.Select(r => r.ResponseCase));
        Assert.Null(harness.Replies[1].ResponseBody.Response);
        Assert.Equal(1, await harness.MetricAsync("extproc_response_status_total{class=\"5xx\"}"));
    }

    [Fact]
    public async Task HandleAsync_FullDuplexResponse_EchoesChunksAsStreamedResponse()
    {
        using var harness = new StreamHarness(new() { ["processing:assumedResponseBodyMode"] = "FULL_DUPLEX_STREAMED" });

        await harness.SendAsync(new ProcessingRequest { ResponseBody = new HttpBody { Body = ByteString.CopyFromUtf8("abc"), EndOfStream = true } });

        var streamed = harness.Replies.Single().ResponseBody.Response.BodyMutation.StreamedResponse;
        Assert.Equal("abc", streamed.Body.ToStringUtf8());
        Assert.True(streamed.EndOfStream);
    }
}
