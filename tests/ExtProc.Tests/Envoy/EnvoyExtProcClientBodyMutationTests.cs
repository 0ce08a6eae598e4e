using AiSidecar.ExtProc.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using static AiSidecar.ExtProc.Tests.Infrastructure.ExtProcReplies;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>Checks the Envoy model's body rules: content-length checks, CONTINUE_AND_REPLACE and the buffer limit.</summary>
public sealed class EnvoyExtProcClientBodyMutationTests
{
    [Fact]
    public async Task RunAsync_BodyMutationNotMatchingContentLength_Returns500()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(r => r.RequestCase == RequestCase.RequestBody
            ? With(r, new CommonResponse { BodyMutation = new BodyMutation { Body = ByteString.CopyFromUtf8("longer body") } })
            : Continue(r));

        var result = await server.Client(ExtProcChannels.Buffered).RunAsync(HttpExchange.For(DownstreamRequest.Post("/x", "{}")));

        Assert.Equal(500, result.Response.Status);
        Assert.Equal("mismatch_between_content_length_and_the_length_of_the_mutated_body", result.LocalReply!.Details);
    }

    [Fact]
    public async Task RunAsync_BodyOverBufferLimit_Returns413WithoutSendingBody()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(Continue);
        var config = ExtProcChannels.Buffered with { BufferLimitBytes = 10 };

        var result = await server.Client(config).RunAsync(HttpExchange.For(DownstreamRequest.Post("/x", new string('a', 11))));

        Assert.Equal(413, result.Response.Status);
        Assert.DoesNotContain(result.Sent, m => m.RequestCase == RequestCase.RequestBody);
    }

    [Fact]
    public async Task RunAsync_ContinueAndReplace_ReplacesBodyAndDropsContentLength()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(r => r.RequestCase == RequestCase.RequestHeaders
            ? With(r, new CommonResponse
            {
                Status = CommonResponse.Types.ResponseStatus.ContinueAndReplace,
                BodyMutation = new BodyMutation { Body = ByteString.CopyFromUtf8("new") },
            })
            : Continue(r));

        var result = await server.Client(ExtProcChannels.Buffered).RunAsync(HttpExchange.For(DownstreamRequest.Post("/x", "{}")));

        Assert.Equal("new", result.Forwarded!.BodyText);
        Assert.Null(result.Forwarded.Headers["content-length"]);
        Assert.DoesNotContain(result.Sent, m => m.RequestCase == RequestCase.RequestBody);
    }
}
