using AiSidecar.ExtProc.Tests.Infrastructure;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using static AiSidecar.ExtProc.Tests.Infrastructure.ExtProcReplies;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>Checks the Envoy model's response direction, mode_override and attributes.</summary>
public sealed class EnvoyExtProcClientResponseTests
{
    [Fact]
    public async Task RunAsync_ImmediateResponseAfterResponseHeadersWentDownstream_ResetsDownstream()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(r => r.RequestCase == RequestCase.ResponseBody ? Immediate(403, "late") : Continue(r));
        var config = ExtProcChannels.TestConfig with { ResponseBodyMode = BodySendMode.Streamed };

        var result = await server.Client(config).RunAsync(HttpExchange.For(DownstreamRequest.Get("/"), UpstreamResponse.Json("{\"a\":1}")));

        Assert.True(result.Response.Reset);
        Assert.Equal(200, result.Response.Status);
        Assert.Equal(403, result.LocalReply!.Status);
    }

    [Fact]
    public async Task RunAsync_ModeOverrideAllowed_SkipsBodyMessage()
    {
        var mode = new ProcessingMode { RequestBodyMode = BodySendMode.None };
        await using var server = await ScriptedExtProcServer.StartAsync(r =>
        {
            var reply = Continue(r);
            reply.ModeOverride = mode;
            return reply;
        });

        var allowed = await server.Client(ExtProcChannels.Buffered with { AllowModeOverride = true }).RunAsync(HttpExchange.For(DownstreamRequest.Post("/x", "{}")));
        var ignored = await server.Client(ExtProcChannels.Buffered).RunAsync(HttpExchange.For(DownstreamRequest.Post("/x", "{}")));

        Assert.DoesNotContain(allowed.Sent, m => m.RequestCase == RequestCase.RequestBody);
        Assert.Equal("{}", allowed.Forwarded!.BodyText);
        Assert.Contains(ignored.Sent, m => m.RequestCase == RequestCase.RequestBody);
    }

    [Fact]
    public async Task RunAsync_RequestAttributes_SentOnFirstRequestMessageOnly()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(Continue);
        var config = ExtProcChannels.Buffered with { RequestAttributes = ["request.path", "request.method", "no.such.attribute"] };

        var result = await server.Client(config).RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/x?q=1", "{}")));

        var attributes = result.Sent[0].Attributes[AttributeEvaluator.FilterName];
        Assert.Equal("/v1/x?q=1", attributes.Fields["request.path"].StringValue);
        Assert.Equal("POST", attributes.Fields["request.method"].StringValue);
        Assert.False(attributes.Fields.ContainsKey("no.such.attribute"));
        Assert.All(result.Sent.Skip(1), m => Assert.Empty(m.Attributes));
        Assert.All(result.Sent, m => Assert.NotNull(m.MetadataContext));
    }
}
