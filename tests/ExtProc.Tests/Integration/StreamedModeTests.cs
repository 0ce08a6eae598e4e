using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>STREAMED: each chunk is answered with an empty BodyResponse; the decision is made at the end.</summary>
public sealed class StreamedModeTests
{
    private static readonly EnvoyFilterConfig Streamed = ExtProcChannels.TestConfig with { RequestBodyMode = BodySendMode.Streamed };

    [Fact]
    public async Task Process_ValidChunkedBody_AnswersEveryChunkEmptyAndForwardsUnchanged()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var body = InferenceBodies.Chat(ExpectedTokens.TextOfTokens(200));
        var request = DownstreamRequest.Post("/v1/chat/completions", body, chunkSize: 100);
        request = request with { BodyChunks = [.. request.BodyChunks, []] };

        var result = await server.Client(Streamed).RunAsync(HttpExchange.For(request));

        var answers = result.Received.Where(r => r.RequestBody is not null).ToList();
        Assert.Equal(request.BodyChunks.Count, answers.Count);
        Assert.All(answers, a => Assert.True(a.RequestBody.Response is null || a.RequestBody.Response.BodyMutation is null));
        Assert.Equal(body, result.Forwarded!.BodyText);
        Assert.Equal(200, result.Response.Status);
    }

    [Fact]
    public async Task Process_InvalidJsonInChunks_Returns400AfterLastChunk()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var request = DownstreamRequest.Post("/v1/completions", "{\"prompt\": \"abc\", oops}", chunkSize: 5);

        var result = await server.Client(Streamed).RunAsync(HttpExchange.For(request));

        ApiErrorBody.Read(result, 400);
        var answers = result.Received.Where(r => r.RequestBody is not null).Count();
        Assert.Equal(request.BodyChunks.Count - 1, answers);
    }

    [Fact]
    public async Task Process_SendBodyWithoutWaitingForHeaderResponse_AnswersHeadersFirst()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var config = Streamed with { SendBodyWithoutWaitingForHeaderResponse = true };
        var request = DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion("hello world"), chunkSize: 8);

        var result = await server.Client(config).RunAsync(HttpExchange.For(request));

        Assert.Equal(200, result.Response.Status);
        Assert.NotNull(result.Received[0].RequestHeaders);
        Assert.Equal(request.BodyChunks.Count, result.Received.Count(r => r.RequestBody is not null));
    }

    [Fact]
    public async Task Process_WholeBodyArrivesWithHeaders_IsAnsweredAsOneMessage()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var config = Streamed with { BodyArrival = BodyArrival.WithHeaders };
        var request = DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion("hello"), chunkSize: 4);

        var result = await server.Client(config).RunAsync(HttpExchange.For(request));

        Assert.Equal(200, result.Response.Status);
        Assert.Single(result.Sent, m => m.RequestBody is not null);
        Assert.Equal(InferenceBodies.Completion("hello"), result.Forwarded!.BodyText);
    }
}
