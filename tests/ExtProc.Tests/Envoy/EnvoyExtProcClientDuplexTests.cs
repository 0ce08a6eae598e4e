using AiSidecar.ExtProc.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using static AiSidecar.ExtProc.Tests.Infrastructure.ExtProcReplies;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>Checks the Envoy model's FULL_DUPLEX_STREAMED and observability modes.</summary>
public sealed class EnvoyExtProcClientDuplexTests
{
    [Fact]
    public async Task RunAsync_FullDuplexPlainBodyAnswer_Returns500()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(Continue);
        var config = ExtProcChannels.TestConfig with { RequestBodyMode = BodySendMode.FullDuplexStreamed, RequestTrailerMode = HeaderSendMode.Send };

        var result = await server.Client(config).RunAsync(HttpExchange.For(DownstreamRequest.Post("/x", "{}")));

        Assert.Equal(500, result.Response.Status);
        Assert.StartsWith("spurious_message", result.LocalReply!.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FullDuplexStreamedAnswer_ForwardsServerChunks()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(r => r.RequestCase == RequestCase.RequestBody
            ? With(r, new CommonResponse { BodyMutation = new BodyMutation { StreamedResponse = new StreamedBodyResponse { Body = r.RequestBody.Body, EndOfStream = r.RequestBody.EndOfStream } } })
            : Continue(r));
        var config = ExtProcChannels.TestConfig with { RequestBodyMode = BodySendMode.FullDuplexStreamed, RequestTrailerMode = HeaderSendMode.Send };

        var result = await server.Client(config).RunAsync(HttpExchange.For(DownstreamRequest.Post("/x", "abcdef", chunkSize: 2)));

        Assert.Equal("abcdef", result.Forwarded!.BodyText);
        Assert.Null(result.Forwarded.Headers["content-length"]);
    }

    [Fact]
    public async Task RunAsync_ObservabilityMode_IgnoresAnswersAndForwardsUnmodified()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(r => Immediate(403, "no"));
        var config = ExtProcChannels.TestConfig with { ObservabilityMode = true, RequestBodyMode = BodySendMode.Streamed, GracefulClose = true };

        var result = await server.Client(config).RunAsync(HttpExchange.For(DownstreamRequest.Post("/x", "{}")));

        Assert.Equal(200, result.Response.Status);
        Assert.All(result.Sent, m => Assert.True(m.ObservabilityMode));
        Assert.All(result.Sent, m => Assert.Null(m.ProtocolConfig));
        Assert.Equal(3, result.Sent.Count);
    }
}
