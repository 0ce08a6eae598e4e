using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.ExtProc.Tests.Pipeline;
using AiSidecar.Testing;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>
/// Every exchange is ended exactly once, however its stream ends, and every lease a stage took is released then:
/// completed, reset by Envoy, cancelled when the client went away, cut by a server shutdown, and 1,000 at once.
/// </summary>
public sealed class ExchangeLifetimeTests
{
    private const string Kind = "test-hold";
    private const string LeaseSeries = "extproc_exchange_leases{kind=\"test-hold\"}";

    /// <summary>Takes a lease on each request and, when <paramref name="hold"/>, holds it until its hold token fires.</summary>
    private sealed class HoldingStage(bool hold) : IRequestStage
    {
        private int _taken;
        private int _released;

        public int Order => StageOrder.Count + 1;

        public string Name => "hold";

        public int Taken => Volatile.Read(ref _taken);

        public int Released => Volatile.Read(ref _released);

        public List<Exchange> Exchanges { get; } = [];

        public async ValueTask<StageResult> ProcessAsync(Exchange exchange)
        {
            if (!exchange.Aborted.CanBeCanceled)
            {
                // The warm-up request at start has no stream to end it.
                return StageResult.Continue;
            }

            lock (Exchanges)
            {
                Exchanges.Add(exchange);
            }

            exchange.AddLease(Kind, new CountingLease(() => Interlocked.Increment(ref _released)));
            Interlocked.Increment(ref _taken);
            if (hold)
            {
                await Task.Delay(Timeout.Infinite, exchange.HoldCancellation);
            }

            return StageResult.Continue;
        }
    }

    private static Task<TestExtProcServer> StartAsync(HoldingStage stage, params string[] args) =>
        TestExtProcServer.StartAsync("processing:\n  messageTimeoutMs: 600000\n", s => s.AddSingleton<IRequestStage>(stage), args);

    private static async Task<AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse>> HeldCallAsync(TestExtProcServer server, CancellationToken cancellation = default)
    {
        var call = new ExternalProcessor.ExternalProcessorClient(server.Channel).Process(cancellationToken: cancellation);
        await call.RequestStream.WriteAsync(RawExtProc.Headers("POST", "/v1/chat/completions", endOfStream: false), CancellationToken.None);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        await call.RequestStream.WriteAsync(new ProcessingRequest
        {
            RequestBody = new HttpBody { Body = ByteString.CopyFromUtf8(InferenceBodies.Chat("hold me")), EndOfStream = true },
        }, CancellationToken.None);
        return call;
    }

    private static async Task<double> LeasesAsync(TestExtProcServer server) =>
        PrometheusText.Value(await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), LeaseSeries);

    [Fact]
    public async Task Process_RequestCompletes_ReleasesItsLeaseOnce()
    {
        var stage = new HoldingStage(hold: false);
        await using var server = await StartAsync(stage);

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hi"))));

        Assert.Equal("llm-small", result.Forwarded!.Headers["x-ai-pool"]);
        await Until.TrueAsync(() => stage.Released == 1, "the lease released");
        Assert.Equal(0, await LeasesAsync(server));
        Assert.Equal(ExchangeEnding.Completed, Assert.Single(stage.Exchanges).Ending);
    }

    [Fact]
    public async Task Process_RequestAnsweredLocally_ReleasesItsLease()
    {
        var stage = new HoldingStage(hold: false);
        await using var server = await StartAsync(stage, "--catalogue:unknownModels=reject", "--catalogue:models:0:name=qwen3");

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hi", "qwen3") + " ")));

        Assert.Null(result.LocalReply);
        await Until.TrueAsync(() => stage.Released == 1, "the lease released");
        Assert.Equal(0, await LeasesAsync(server));
    }

    [Fact]
    public async Task Process_EnvoyResetsWhileHeld_ReleasesTheLease()
    {
        var stage = new HoldingStage(hold: true);
        await using var server = await StartAsync(stage);
        var call = await HeldCallAsync(server);
        await Until.TrueAsync(async () => await LeasesAsync(server) == 1, "the request held");

        call.Dispose();

        await Until.TrueAsync(() => stage.Released == 1, "the lease released");
        await Until.TrueAsync(async () => await LeasesAsync(server) == 0, "the lease metric back to 0");
        Assert.Equal(ExchangeEnding.Reset, Assert.Single(stage.Exchanges).Ending);
    }

    [Fact]
    public async Task Process_ClientGoneWhileHeld_ReleasesTheLease()
    {
        var stage = new HoldingStage(hold: true);
        await using var server = await StartAsync(stage);
        using var clientGone = new CancellationTokenSource();
        using var call = await HeldCallAsync(server, clientGone.Token);
        await Until.TrueAsync(() => stage.Taken == 1, "the request held");

        // Envoy half-closes the side stream and cancels it when the downstream client goes away.
        await call.RequestStream.CompleteAsync();
        await clientGone.CancelAsync();

        await Until.TrueAsync(() => stage.Released == 1, "the lease released");
        Assert.Equal(0, await LeasesAsync(server));
    }

    [Fact]
    public async Task StopAsync_WhileHeld_ReleasesTheLeaseAsAShutdown()
    {
        var stage = new HoldingStage(hold: true);
        var server = await StartAsync(stage, "--server:shutdownTimeoutSeconds=1");
        using var call = await HeldCallAsync(server);
        await Until.TrueAsync(() => stage.Taken == 1, "the request held");

        await server.StopAsync();

        await Until.TrueAsync(() => stage.Released == 1, "the lease released");
        Assert.Equal(ExchangeEnding.Shutdown, Assert.Single(stage.Exchanges).Ending);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Process_ThousandStreamsResetMidHold_LeaveNoLeaseAndTheMetricAtZero()
    {
        const int Streams = 1000;
        var stage = new HoldingStage(hold: true);
        await using var server = await StartAsync(stage);
        var calls = new AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse>[Streams];
        for (var started = 0; started < Streams; started += 100)
        {
            var batch = Enumerable.Range(started, 100).Select(async i => calls[i] = await HeldCallAsync(server));
            await Task.WhenAll(batch);
        }

        await Until.TrueAsync(async () => await LeasesAsync(server) == Streams, $"{Streams} requests held");

        foreach (var call in calls)
        {
            call.Dispose();
        }

        await Until.TrueAsync(() => (stage.Released == Streams), $"{Streams} leases released");
        await Until.TrueAsync(async () => await LeasesAsync(server) == 0, "the lease metric back to 0");
        Assert.Equal(Streams, stage.Taken);
        Assert.All(stage.Exchanges, e => Assert.Equal(ExchangeEnding.Reset, e.Ending));
        Assert.Equal(0, PrometheusText.Value(await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), "extproc_open_streams"));
    }
}
