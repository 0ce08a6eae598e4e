using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>Older Envoys send no protocol_config; filters may hide pseudo-headers behind request attributes.</summary>
public sealed class ProtocolConfigTests
{
    [Fact]
    public async Task Process_NoProtocolConfig_UsesAssumedBufferedMode()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var config = ExtProcChannels.Buffered with { SendProtocolConfig = false };

        var result = await server.Client(config).RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion("hi"))));

        Assert.All(result.Sent, m => Assert.Null(m.ProtocolConfig));
        Assert.Equal("llm-small", result.Forwarded!.Headers["x-ai-pool"]);
    }

    [Fact]
    public async Task Process_NoProtocolConfigAndAssumedStreamed_HandlesStreamedBody()
    {
        await using var server = await TestExtProcServer.StartAsync("processing:\n  assumedRequestBodyMode: STREAMED\n");
        var config = ExtProcChannels.TestConfig with { RequestBodyMode = BodySendMode.Streamed, SendProtocolConfig = false };
        var request = DownstreamRequest.Post("/v1/completions", "{bad json", chunkSize: 3);

        var result = await server.Client(config).RunAsync(HttpExchange.For(request));

        ApiErrorBody.Read(result, 400);
    }

    [Fact]
    public async Task Process_PseudoHeadersNotForwarded_UsesRequestAttributes()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var config = ExtProcChannels.Buffered with
        {
            DisallowedHeaders = [":path", ":method"],
            RequestAttributes = ["request.path", "request.method"],
        };

        var result = await server.Client(config).RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion("hi"))));

        Assert.DoesNotContain(result.Sent[0].RequestHeaders.Headers.Headers, h => h.Key == ":path");
        Assert.Equal("llm-small", result.Forwarded!.Headers["x-ai-pool"]);
    }
}
