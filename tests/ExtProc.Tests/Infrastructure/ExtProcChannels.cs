using AiSidecar.ExtProc.Tests.EnvoyFilter;
using Grpc.Net.Client;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>gRPC channels configured like Envoy's client: h2c with prior knowledge, no receive limit.</summary>
internal static class ExtProcChannels
{
    /// <summary>
    /// Envoy's defaults except the message timeout, a 30 s guard against a hung server: tests check behaviour, not
    /// latency, and a cold JIT on a busy small machine can exceed Envoy's 200 ms (or a few seconds). Tests about the
    /// timer set it explicitly.
    /// </summary>
    public static EnvoyFilterConfig TestConfig { get; } = new() { MessageTimeout = TimeSpan.FromSeconds(30) };

    /// <summary><see cref="TestConfig"/> with the request body BUFFERED.</summary>
    public static EnvoyFilterConfig Buffered { get; } = TestConfig with { RequestBodyMode = BodySendMode.Buffered };

    public static GrpcChannel Create(Uri address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        // Envoy's gRPC client has no receive limit by default; grpc-dotnet's is 4 MB.
        MaxReceiveMessageSize = null,
        MaxSendMessageSize = null,
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
    });
}
