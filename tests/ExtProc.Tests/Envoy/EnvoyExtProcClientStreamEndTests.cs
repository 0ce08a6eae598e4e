using AiSidecar.ExtProc.Tests.Infrastructure;
using Grpc.Core;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>Checks the Envoy model when the server is silent or ends the stream (onMessageTimeout, onGrpcError, onGrpcClose).</summary>
public sealed class EnvoyExtProcClientStreamEndTests
{
    private static readonly HttpExchange Get = HttpExchange.For(DownstreamRequest.Get("/"));

    [Fact]
    public async Task RunAsync_ServerNeverAnswers_Returns504()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(_ => null);

        var result = await server.Client(new EnvoyFilterConfig { MessageTimeout = TimeSpan.FromMilliseconds(50) }).RunAsync(Get);

        Assert.Equal(504, result.Response.Status);
        Assert.Equal("ext_proc_error_per-message_timeout_exceeded", result.LocalReply!.Details);
    }

    [Fact]
    public async Task RunAsync_ServerFailsCall_Returns500WithGrpcDetails()
    {
        await using var server = await ScriptedExtProcServer.StartAsync((_, _, _) => throw new RpcException(new Status(StatusCode.Internal, "boom")));

        var result = await server.Client().RunAsync(Get);

        Assert.Equal(500, result.Response.Status);
        Assert.Equal("ext_proc_error_gRPC_error_13{boom}", result.LocalReply!.Details);
    }

    [Fact]
    public async Task RunAsync_ServerClosesWithOk_PassesRestUnmodified()
    {
        await using var server = await ScriptedExtProcServer.StartAsync((requests, _, context) => requests.MoveNext(context.CancellationToken));

        var result = await server.Client(ExtProcChannels.Buffered).RunAsync(HttpExchange.For(DownstreamRequest.Post("/x", "{}")));

        Assert.Equal(200, result.Response.Status);
        Assert.Equal("{}", result.Forwarded!.BodyText);
        Assert.Equal([RequestCase.RequestHeaders], result.Sent.Select(m => m.RequestCase));
        Assert.Equal(StatusCode.OK, result.ServerStatus!.Value.StatusCode);
    }
}
