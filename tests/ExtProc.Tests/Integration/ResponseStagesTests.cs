using System.Text;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>
/// Response stages see the response headers and, when one asks for it, the body: the server asks Envoy for it with
/// <c>mode_override</c> in its answer to the response headers, and a stage may set headers or replace chunks.
/// </summary>
public sealed class ResponseStagesTests
{
    private const string UpstreamBody = "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"hello back\"}}]}";

    /// <summary>Asks for the body in <paramref name="mode"/>, keeps what it sees, and optionally rewrites chunks and sets a header.</summary>
    private sealed class RecordingStage(ResponseBodyMode mode, Func<ReadOnlyMemory<byte>, byte[]>? rewrite = null, bool setHeader = false) : IResponseStage
    {
        public int Order => 200;

        public int? Status { get; private set; }

        public List<(string Text, bool End)> Chunks { get; } = [];

        public ValueTask OnResponseHeadersAsync(Exchange exchange)
        {
            Status = exchange.Response.Status;
            exchange.Response.ReadBody(mode);
            if (setHeader)
            {
                exchange.Response.SetHeader("x-ai-response-seen", exchange.Decision?.Pool ?? "none");
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask OnResponseBodyAsync(Exchange exchange, ResponseBodyChunk chunk)
        {
            Chunks.Add((Encoding.UTF8.GetString(chunk.Data.Span), chunk.EndOfStream));
            if (rewrite is not null)
            {
                chunk.Replace(rewrite(chunk.Data));
            }

            return ValueTask.CompletedTask;
        }
    }

    private static async Task<ExchangeResult> RunAsync(RecordingStage stage, EnvoyFilterConfig config)
    {
        await using var server = await TestExtProcServer.StartAsync("", s => s.AddSingleton<IResponseStage>(stage), "--responses:readUsage=false");
        var upstream = UpstreamResponse.Json(UpstreamBody, chunkSize: 9);
        return await server.Client(config).RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hi")), upstream));
    }

    private static EnvoyFilterConfig OverrideAllowed => ExtProcChannels.Buffered with { AllowModeOverride = true };

    private static byte[] Upper(ReadOnlyMemory<byte> chunk) => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(chunk.Span).ToUpperInvariant());

    [Fact]
    public async Task Process_StageAsksForTheStreamedBody_ServerOverridesTheModeAndTheStageSeesEveryChunk()
    {
        var stage = new RecordingStage(ResponseBodyMode.Streamed);

        var result = await RunAsync(stage, OverrideAllowed);

        var mode = Assert.Single(result.Received, r => r.ResponseHeaders is not null).ModeOverride;
        Assert.Equal(ProcessingMode.Types.BodySendMode.Streamed, mode.ResponseBodyMode);
        Assert.Equal(ProcessingMode.Types.BodySendMode.None, mode.RequestBodyMode);
        Assert.Equal(
            (ProcessingMode.Types.HeaderSendMode.Send, ProcessingMode.Types.HeaderSendMode.Send, ProcessingMode.Types.HeaderSendMode.Skip, ProcessingMode.Types.HeaderSendMode.Skip),
            (mode.RequestHeaderMode, mode.ResponseHeaderMode, mode.RequestTrailerMode, mode.ResponseTrailerMode));
        Assert.Equal(200, stage.Status);
        Assert.True(stage.Chunks.Count > 1);
        Assert.Equal(UpstreamBody, string.Concat(stage.Chunks.Select(c => c.Text)));
        Assert.True(stage.Chunks[^1].End);
        Assert.Equal(UpstreamBody, result.Response.BodyText);
    }

    [Fact]
    public async Task Process_StageAsksForTheWholeBody_GetsItInOneMessage()
    {
        var stage = new RecordingStage(ResponseBodyMode.Buffered);

        var result = await RunAsync(stage, OverrideAllowed);

        Assert.Equal(ProcessingMode.Types.BodySendMode.Buffered, Assert.Single(result.Received, r => r.ResponseHeaders is not null).ModeOverride.ResponseBodyMode);
        Assert.Equal([(UpstreamBody, true)], stage.Chunks);
    }

    [Fact]
    public async Task Process_StageReplacesStreamedChunks_TheClientSeesTheReplacement()
    {
        var result = await RunAsync(new RecordingStage(ResponseBodyMode.Streamed, Upper), OverrideAllowed);

        Assert.Null(result.LocalReply);
        Assert.Equal(UpstreamBody.ToUpperInvariant(), result.Response.BodyText);
    }

    [Fact]
    public async Task Process_StageReplacesTheBufferedBody_ContentLengthFollows()
    {
        var result = await RunAsync(new RecordingStage(ResponseBodyMode.Buffered, _ => Encoding.UTF8.GetBytes("{\"short\":1}")), OverrideAllowed);

        Assert.Null(result.LocalReply);
        Assert.Equal("{\"short\":1}", result.Response.BodyText);
        Assert.Equal("11", result.Response.Headers["content-length"]);
    }

    [Fact]
    public async Task Process_StageSetsAResponseHeader_TheClientSeesIt()
    {
        var result = await RunAsync(new RecordingStage(ResponseBodyMode.None, setHeader: true), ExtProcChannels.Buffered);

        Assert.Equal("llm-small", result.Response.Headers["x-ai-response-seen"]);
        Assert.Null(Assert.Single(result.Received, r => r.ResponseHeaders is not null).ModeOverride);
    }

    [Fact]
    public async Task Process_FilterRefusesOverrides_TheStageGetsNoBodyAndNothingBreaks()
    {
        var stage = new RecordingStage(ResponseBodyMode.Streamed);

        var result = await RunAsync(stage, ExtProcChannels.Buffered);

        Assert.Empty(stage.Chunks);
        Assert.Equal(UpstreamBody, result.Response.BodyText);
    }

    [Fact]
    public async Task Process_FilterStreamsTheBodyAlready_NoOverrideIsSent()
    {
        var stage = new RecordingStage(ResponseBodyMode.Streamed);

        var result = await RunAsync(stage, OverrideAllowed with { ResponseBodyMode = BodySendMode.Streamed });

        Assert.Null(Assert.Single(result.Received, r => r.ResponseHeaders is not null).ModeOverride);
        Assert.Equal(UpstreamBody, string.Concat(stage.Chunks.Select(c => c.Text)));
    }
}
