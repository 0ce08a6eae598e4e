using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.ExtProc.Tests.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>Memory limits end to end: a shed body and running out of memory are 503 with retry-after, never 500.</summary>
public sealed class MemoryLimitTests
{
    [Fact]
    public async Task Process_LargeBodyWhileTheBudgetIsFullAndNoLine_Answers503WithRetryAfter()
    {
        var release = new TaskCompletionSource();
        var holding = new TaskCompletionSource();
        var hold = new ScriptedStage(StageOrder.Count + 1, async exchange =>
        {
            if (exchange.Aborted.CanBeCanceled && exchange.Body.Length > 1000)
            {
                holding.TrySetResult();
                await release.Task;
            }

            return StageResult.Continue;
        });
        await using var server = await TestExtProcServer.StartAsync("processing:\n  messageTimeoutMs: 60000\n", s => s.AddSingleton<IRequestStage>(hold),
            "--processing:maxBodyBytes=100000", "--memory:bodyBytesInFlight=100000", "--memory:queuedBodyBytes=0", "--memory:largeBodyBytes=1000", "--memory:retryAfterSeconds=3");
        var config = ExtProcChannels.Buffered with { MessageTimeout = TimeSpan.FromSeconds(60) };
        var large = DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion(new string('a', 60_000)));
        var first = server.Client(config).RunAsync(HttpExchange.For(large));
        await holding.Task;

        var second = await server.Client(config).RunAsync(HttpExchange.For(large));
        release.SetResult();

        Assert.Equal("server_overloaded", ApiErrorBody.Read(second, 503).Code);
        Assert.Equal("3", second.LocalReply!.Headers["retry-after"]);
        Assert.Null((await first).LocalReply);
    }

    [Fact]
    public async Task Process_StageRunsOutOfMemory_Answers503WithRetryAfterNot500()
    {
        var failures = 0;
#pragma warning disable CA2201 // The stage plays the runtime running out of memory, once.
        var exhausted = new ScriptedStage(StageOrder.Count + 1, exchange =>
            exchange.Aborted.CanBeCanceled && Interlocked.Increment(ref failures) == 1 ? throw new OutOfMemoryException() : ValueTask.FromResult(StageResult.Continue));
#pragma warning restore CA2201
        await using var server = await TestExtProcServer.StartAsync("", s => s.AddSingleton<IRequestStage>(exhausted));

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion("hi"))));

        Assert.Equal("server_overloaded", ApiErrorBody.Read(result, 503).Code);
        Assert.Equal("1", result.LocalReply!.Headers["retry-after"]);
        await RawExtProc.AssertServerStillRoutesAsync(server);
    }
}
