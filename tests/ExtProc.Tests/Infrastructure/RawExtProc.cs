using AiSidecar.ExtProc.Tests.EnvoyFilter;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>Helpers for tests that drive the gRPC stream by hand, outside Envoy's rules.</summary>
internal static class RawExtProc
{
    public static ProcessingRequest Headers(string method, string path, bool endOfStream) => new()
    {
        RequestHeaders = new HttpHeaders
        {
            Headers = new HttpHeaderList().Add(":method", method).Add(":path", path).Add(":authority", "a").Add(":scheme", "http").ToHeaderMap(),
            EndOfStream = endOfStream,
        },
    };

    /// <summary>Reads to the end of the call and returns how it ended.</summary>
    public static async Task<Status> DrainAsync(AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call)
    {
        try
        {
            while (await call.ResponseStream.MoveNext())
            {
            }

            return call.GetStatus();
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }

    /// <summary>Proves the server still works: a normal exchange is routed.</summary>
    public static async Task AssertServerStillRoutesAsync(TestExtProcServer server)
    {
        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion("ok"))));
        Assert.Equal("llm-small", result.Forwarded!.Headers["x-ai-pool"]);
    }
}
