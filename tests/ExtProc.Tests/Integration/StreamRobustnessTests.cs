using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.ExtProc.Tests.Pipeline;
using AiSidecar.Testing;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

    [Fact]
    public async Task Process_ResetsMidMessageAndBetweenMessages_LogNoStackTraceAndAreCounted()
    {
        var logs = new CapturingLoggerProvider();
        var holding = new TaskCompletionSource();
        var held = new ScriptedStage(StageOrder.Count + 1, async exchange =>
        {
            // The warm-up request has no stream; a real one is held until its stream is reset.
            if (exchange.Aborted.CanBeCanceled)
            {
                holding.TrySetResult();
                await Task.Delay(Timeout.Infinite, exchange.HoldCancellation);
            }

            return StageResult.Continue;
        });
        await using var server = await TestExtProcServer.StartAsync(
            "processing:\n  messageTimeoutMs: 600000\n",
            s => s.AddSingleton<ILoggerProvider>(logs).AddSingleton<IRequestStage>(held),
            "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:AiSidecar=Debug");
        var grpc = new ExternalProcessor.ExternalProcessorClient(server.Channel);

        // Reset while the server holds the body message.
        using (var cancel = new CancellationTokenSource())
        {
            using var call = grpc.Process(cancellationToken: cancel.Token);
            await call.RequestStream.WriteAsync(Headers("POST", "/v1/chat/completions", endOfStream: false), CancellationToken.None);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            await call.RequestStream.WriteAsync(new ProcessingRequest { RequestBody = new HttpBody { Body = ByteString.CopyFromUtf8(InferenceBodies.Chat("hold")), EndOfStream = true } }, CancellationToken.None);
            await holding.Task;
            await cancel.CancelAsync();
        }

        // Reset while the server waits for the next message (grpc-dotnet itself logs these reads).
        using (var call = grpc.Process())
        {
            await call.RequestStream.WriteAsync(Headers("POST", "/v1/chat/completions", endOfStream: false));
            Assert.True(await call.ResponseStream.MoveNext());
        }

        await UntilAsync(async () =>
        {
            var metrics = await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            return PrometheusText.Value(metrics, "extproc_stream_endings_total{ending=\"reset\"}") == 1
                && PrometheusText.Value(metrics, "extproc_stream_endings_total{ending=\"completed\"}") >= 1;
        });

        var entries = logs.Entries;
        Assert.DoesNotContain(entries, e => e.Exception is not null);
        Assert.DoesNotContain(entries, e => e.Category.StartsWith("Grpc.", StringComparison.Ordinal) && e.Level >= LogLevel.Information);
        Assert.Contains(entries, e => e.EventName == "StreamEnded" && e.Level == LogLevel.Debug);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600 && !await condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(await condition());
    }
}
