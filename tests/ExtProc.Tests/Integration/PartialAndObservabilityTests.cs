using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>BUFFERED_PARTIAL truncation and observability mode.</summary>
public sealed class PartialAndObservabilityTests
{
    [Fact]
    public async Task Process_BufferedPartialWithinLimit_IsRouted()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var config = ExtProcChannels.TestConfig with { RequestBodyMode = BodySendMode.BufferedPartial, BufferLimitBytes = 4096 };

        var result = await server.Client(config).RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion("hi"), chunkSize: 7)));

        Assert.Equal("llm-small", result.Forwarded!.Headers["x-ai-pool"]);
        Assert.True(result.Forwarded.RouteCacheCleared);
    }

    [Fact]
    public async Task Process_BufferedPartialTruncatedBody_Returns413()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var config = ExtProcChannels.TestConfig with { RequestBodyMode = BodySendMode.BufferedPartial, BufferLimitBytes = 1024 };
        var request = DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion(new string('a', 4000)), chunkSize: 512);

        var result = await server.Client(config).RunAsync(HttpExchange.For(request));

        Assert.False(Assert.Single(result.Sent, m => m.RequestBody is not null).RequestBody.EndOfStream);
        ApiErrorBody.Read(result, 413);
    }

    [Fact]
    public async Task Process_ObservabilityMode_ServerNeverReplies()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var config = ExtProcChannels.TestConfig with
        {
            ObservabilityMode = true,
            RequestBodyMode = BodySendMode.Streamed,
            ResponseBodyMode = BodySendMode.Streamed,
            GracefulClose = true,
        };
        var request = DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("observe me"), chunkSize: 10);

        var result = await server.Client(config).RunAsync(HttpExchange.For(request));

        Assert.Empty(result.Received);
        Assert.True(result.Sent.Count > 3);
        Assert.Equal(InferenceBodies.Chat("observe me"), result.Forwarded!.BodyText);
        Assert.Equal(Grpc.Core.StatusCode.OK, result.ServerStatus!.Value.StatusCode);
    }

    [Fact]
    public async Task Process_ObservabilityModeWithInvalidBody_ServerStillNeverReplies()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var config = ExtProcChannels.TestConfig with { ObservabilityMode = true, RequestBodyMode = BodySendMode.Streamed, GracefulClose = true };

        var result = await server.Client(config).RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", "{bad")));

        Assert.Empty(result.Received);
        Assert.Equal(200, result.Response.Status);
    }
}
