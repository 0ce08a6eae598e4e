using AiSidecar.ExtProc.Tests.Infrastructure;
using static AiSidecar.ExtProc.Tests.Infrastructure.ExtProcReplies;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>Checks the Envoy model's STREAMED and BUFFERED_PARTIAL modes.</summary>
public sealed class EnvoyExtProcClientStreamingTests
{
    [Fact]
    public async Task RunAsync_Streamed_SendsEachChunkAndRemovesContentLength()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(Continue);
        var request = DownstreamRequest.Post("/x", "abcdef", chunkSize: 3);
        request = request with { BodyChunks = [.. request.BodyChunks, []] };

        var result = await server.Client(ExtProcChannels.TestConfig with { RequestBodyMode = BodySendMode.Streamed }).RunAsync(HttpExchange.For(request));

        var bodies = result.Sent.Where(m => m.RequestCase == RequestCase.RequestBody).Select(m => m.RequestBody).ToList();
        Assert.Equal(["abc", "def", string.Empty], bodies.Select(b => b.Body.ToStringUtf8()));
        Assert.Equal([false, false, true], bodies.Select(b => b.EndOfStream));
        Assert.Equal("6", result.Sent[0].RequestHeaders.Headers.Headers.Single(h => h.Key == "content-length").RawValue.ToStringUtf8());
        Assert.Null(result.Forwarded!.Headers["content-length"]);
        Assert.Equal("abcdef", result.Forwarded.BodyText);
    }

    [Fact]
    public async Task RunAsync_BufferedPartialOverLimit_SendsPrefixWithoutEndOfStream()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(Continue);
        var config = ExtProcChannels.TestConfig with { RequestBodyMode = BodySendMode.BufferedPartial, BufferLimitBytes = 4 };

        var result = await server.Client(config).RunAsync(HttpExchange.For(DownstreamRequest.Post("/x", "abcdefgh", chunkSize: 3)));

        var body = Assert.Single(result.Sent, m => m.RequestCase == RequestCase.RequestBody).RequestBody;
        Assert.Equal("abcdef", body.Body.ToStringUtf8());
        Assert.False(body.EndOfStream);
        Assert.Equal("abcdefgh", result.Forwarded!.BodyText);
    }
}
