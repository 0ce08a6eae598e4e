using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.ExtProc.Tests.Telemetry;
using AiSidecar.Testing;
using OpenTelemetry.Trace;

namespace AiSidecar.ExtProc.Tests.Admission.Gpu;

/// <summary>With OTLP on, the server's Watch calls to the GPU agents are gRPC client spans (OpenTelemetry's gRPC client instrumentation).</summary>
[Collection(TracingGroup.Name)]
public sealed class GpuAgentWatcherTracingTests
{
    [Fact]
    public async Task Watch_OtlpConfigured_EachWatchAttemptIsAGrpcClientSpan()
    {
        // An agent address bound but not listening (no other test can take it): every Watch attempt is refused, and
        // each one is a span that ends at once.
        using var bound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        bound.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var silent = ((IPEndPoint)bound.LocalEndPoint!).Port;
        var spans = new EndedSpans();
        await using var server = await TestExtProcServer.StartAsync(
            $$"""
            admission:
              gpuAgents: { addresses: ["127.0.0.1:{{silent}}"], initialBackoffMs: 50, maxBackoffMs: 100 }
            """,
            s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(spans)),
            // Nothing listens there either: the OTLP exporter's failures are its own; the processor sees every span that ends.
            "--telemetry:otlpEndpoint=http://127.0.0.1:9");

        await Until.TrueAsync(() => spans.Count(IsWatch) >= 2, "two Watch attempts' spans");

        var watch = spans.First(IsWatch);
        Assert.Equal(ActivityKind.Client, watch.Kind);
        Assert.Equal("grpc", watch.GetTagItem("rpc.system.name"));
        Assert.Equal($"127.0.0.1:{silent}", $"{watch.GetTagItem("server.address")}:{watch.GetTagItem("server.port")}");
        Assert.Equal("UNAVAILABLE", watch.GetTagItem("rpc.response.status_code"));
        Assert.Equal(ActivityStatusCode.Error, watch.Status);
    }

    private static bool IsWatch(Activity span) => Equals(span.GetTagItem("rpc.method"), "aisidecar.gpuagent.v1.GpuAgent/Watch");
}
