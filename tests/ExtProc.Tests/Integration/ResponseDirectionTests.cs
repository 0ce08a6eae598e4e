using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>The response direction is answered CONTINUE and its body passes through unchanged.</summary>
public sealed class ResponseDirectionTests
{
    public static TheoryData<BodySendMode> ResponseModes => new()
    {
        BodySendMode.None, BodySendMode.Buffered, BodySendMode.Streamed, BodySendMode.BufferedPartial, BodySendMode.FullDuplexStreamed,
    };

    [Theory]
    [MemberData(nameof(ResponseModes))]
    public async Task Process_UpstreamResponse_ReachesDownstreamUnchanged(BodySendMode mode)
    {
        await using var server = await TestExtProcServer.StartAsync();
        var config = ExtProcChannels.Buffered with { ResponseBodyMode = mode, ResponseTrailerMode = HeaderSendMode.Send };
        const string upstreamBody = "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"hello back\"}}]}";
        var upstream = UpstreamResponse.Json(upstreamBody, chunkSize: 9) with { Trailers = new HttpHeaderList().Add("x-usage", "7") };
        var exchange = HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hi")), upstream);

        var result = await server.Client(config).RunAsync(exchange);

        Assert.Null(result.LocalReply);
        Assert.Equal(200, result.Response.Status);
        Assert.Equal(upstreamBody, result.Response.BodyText);
        Assert.Equal("application/json", result.Response.Headers["content-type"]);
        Assert.Equal("7", result.Response.Trailers!["x-usage"]);
        var headersAnswer = Assert.Single(result.Received, r => r.ResponseHeaders is not null).ResponseHeaders;
        Assert.Null(headersAnswer.Response?.HeaderMutation);
    }

    [Fact]
    public async Task Process_UpstreamErrorWithoutBody_IsAnswered()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var config = ExtProcChannels.Buffered with { ResponseBodyMode = BodySendMode.Buffered };
        var exchange = HttpExchange.For(DownstreamRequest.Get("/v1/models"), new UpstreamResponse { Status = 503 });

        var result = await server.Client(config).RunAsync(exchange);

        Assert.Equal(503, result.Response.Status);
        Assert.True(Assert.Single(result.Sent, m => m.ResponseHeaders is not null).ResponseHeaders.EndOfStream);
    }
}
