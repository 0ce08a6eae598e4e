using AiSidecar.ExtProc.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;
using static AiSidecar.ExtProc.Tests.Infrastructure.RawExtProc;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>Resets and cancellations end one stream, never the server.</summary>
public sealed class StreamRobustnessTests
{
    [Fact]
    public async Task Process_ClientCancelsMidBody_NextRequestStillWorks()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var grpc = new ExternalProcessor.ExternalProcessorClient(server.Channel);
        using var cancel = new CancellationTokenSource();
        using (var call = grpc.Process(cancellationToken: cancel.Token))
        {
            await call.RequestStream.WriteAsync(Headers("POST", "/v1/completions", endOfStream: false));
            Assert.True(await call.ResponseStream.MoveNext());
            await call.RequestStream.WriteAsync(new ProcessingRequest { RequestBody = new HttpBody { Body = ByteString.CopyFromUtf8("{\"prompt\":") } });
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => call.ResponseStream.MoveNext());
        }

        await AssertServerStillRoutesAsync(server);
    }

    [Fact]
    public async Task Process_ClientResetsWithoutHalfClose_NextRequestStillWorks()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var grpc = new ExternalProcessor.ExternalProcessorClient(server.Channel);
        using (var call = grpc.Process())
        {
            await call.RequestStream.WriteAsync(Headers("POST", "/v1/chat/completions", endOfStream: false));
            Assert.True(await call.ResponseStream.MoveNext());
        }

        await AssertServerStillRoutesAsync(server);
    }
}
