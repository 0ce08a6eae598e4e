using System.Text;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static AiSidecar.ExtProc.Tests.Infrastructure.RawExtProc;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>Protocol edges end to end: chunked bodies, a body over the gRPC limit, an empty message, idle streams.</summary>
public sealed class ProtocolEdgeTests
{
    [Fact]
    public async Task Process_StreamedFilterWithoutProtocolConfigAndBufferedAssumed_ObservesTheRequestInsteadOf400()
    {
        // An Envoy before 1.34 (no protocol_config) with a STREAMED filter, while the server assumes BUFFERED.
        await using var server = await TestExtProcServer.StartAsync();
        var config = ExtProcChannels.TestConfig with { RequestBodyMode = BodySendMode.Streamed, SendProtocolConfig = false };
        var body = InferenceBodies.Chat("sent in two chunks");

        var result = await server.Client(config).RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", body, chunkSize: body.Length / 2 + 1)));

        Assert.Equal(2, result.Sent.Count(m => m.RequestBody is not null));
        Assert.Null(result.LocalReply);
        Assert.Equal(body, result.Forwarded!.BodyText);
    }

    [Fact]
    public async Task Process_BufferedBodyOverTheGrpcLimitWithoutContentLength_Returns413()
    {
        // Envoy's buffer (16 MiB) is above the server's receive limit (4 MiB): the body message cannot be read.
        await using var server = await TestExtProcServer.StartAsync("", "--server:maxReceiveMessageBytes=4194304", "--processing:maxBodyBytes=1048576");
        var config = ExtProcChannels.Buffered with { BufferLimitBytes = 16 << 20, MessageTimeout = TimeSpan.FromSeconds(60) };
        var body = Encoding.UTF8.GetBytes(InferenceBodies.Completion(new string('a', 5 << 20)));
        var request = new DownstreamRequest
        {
            Method = "POST",
            Path = "/v1/completions",
            Headers = new HttpHeaderList().Add("content-type", "application/json"),
            BodyChunks = DownstreamRequest.Split(body, 65_536),
        };

        var result = await server.Client(config).RunAsync(HttpExchange.For(request));

        Assert.Equal("request_too_large", ApiErrorBody.Read(result, 413).Code);
        await AssertServerStillRoutesAsync(server);
    }

    [Fact]
    public async Task Process_EmptyProcessingRequest_EndsTheStreamWithInvalidArgument()
    {
        await using var server = await TestExtProcServer.StartAsync();
        using var call = new ExternalProcessor.ExternalProcessorClient(server.Channel).Process();

        await call.RequestStream.WriteAsync(new ProcessingRequest());
        var status = await DrainAsync(call);

        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains("none of request_headers", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_NoMessageWithinTheIdleTimeout_CancelsTheStreamWithDeadlineExceeded()
    {
        var time = new TimerSignallingTimeProvider(TimeSpan.FromSeconds(30));
        await using var server = await TestExtProcServer.StartAsync("", s => s.AddSingleton<TimeProvider>(time), "--processing:streamIdleTimeoutSeconds=30");
        using var call = new ExternalProcessor.ExternalProcessorClient(server.Channel).Process();
        await call.RequestStream.WriteAsync(Headers("POST", "/v1/chat/completions", endOfStream: false));
        Assert.True(await call.ResponseStream.MoveNext());

        await time.WaitForTimerAsync();
        time.Advance(TimeSpan.FromSeconds(30));
        var status = await DrainAsync(call);

        Assert.Equal(StatusCode.DeadlineExceeded, status.StatusCode);
        Assert.Contains("streamIdleTimeoutSeconds", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_MessageJustWithinTheIdleTimeout_IsAnswered()
    {
        var time = new TimerSignallingTimeProvider(TimeSpan.FromSeconds(30));
        await using var server = await TestExtProcServer.StartAsync("", s => s.AddSingleton<TimeProvider>(time), "--processing:streamIdleTimeoutSeconds=30");
        using var call = new ExternalProcessor.ExternalProcessorClient(server.Channel).Process();
        await call.RequestStream.WriteAsync(Headers("POST", "/v1/completions", endOfStream: false));
        Assert.True(await call.ResponseStream.MoveNext());

        await time.WaitForTimerAsync();
        time.Advance(TimeSpan.FromSeconds(29));
        await call.RequestStream.WriteAsync(new ProcessingRequest { RequestBody = new HttpBody { Body = Google.Protobuf.ByteString.CopyFromUtf8(InferenceBodies.Completion("hi")), EndOfStream = true } });

        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestBody, call.ResponseStream.Current.ResponseCase);
    }
}
