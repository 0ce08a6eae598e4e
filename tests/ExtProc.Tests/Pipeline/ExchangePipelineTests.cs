using System.Text.Json;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Pipeline;

/// <summary>Each stage outcome, holding within the deadline, and what the exchange does with leases when it ends.</summary>
public sealed class ExchangePipelineTests
{
    private static readonly string Chat = InferenceBodies.Chat("hello", "qwen3");
    private readonly FakeTimeProvider _time = new();

    /// <summary>The default stages plus <paramref name="stages"/>, on the embedded defaults, with a 200 ms message timeout (180 ms to hold).</summary>
    private PipelineHarness Harness(params IRequestStage[] stages) => new(ServerConfig.Defaults(), services =>
    {
        services.AddSingleton<TimeProvider>(_time);
        foreach (var stage in stages)
        {
            services.AddSingleton(stage);
        }
    });

    [Fact]
    public async Task RunRequestAsync_EveryStageContinues_ReachesADecision()
    {
        var after = new ScriptedStage(StageOrder.Route + 1, _ => ValueTask.FromResult(StageResult.Continue));
        using var harness = Harness(after);

        var run = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", Chat);

        Assert.True(run.Result.IsContinue);
        Assert.Equal("llm-small", run.Exchange.Decision!.Pool);
        Assert.Equal(1, after.Calls);
    }

    [Fact]
    public async Task RunRequestAsync_StageRejects_AnswersTheErrorAndSkipsLaterStages()
    {
        var reject = new ScriptedStage(StageOrder.Inspect + 1, _ => ValueTask.FromResult(StageResult.Reject(ApiErrors.InvalidHeader("x-test", "nothing"))));
        var later = new ScriptedStage(StageOrder.Inspect + 2, _ => ValueTask.FromResult(StageResult.Continue));
        using var harness = Harness(reject, later);

        var run = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", Chat);

        var response = run.Result.Response!;
        Assert.Equal((400, "invalid_header"), (response.Status, response.Kind));
        Assert.Contains(new KeyValuePair<string, string>("content-type", "application/json"), response.Headers);
        Assert.Equal("x-test", JsonDocument.Parse(response.Body).RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(0, later.Calls);
        Assert.Null(run.Exchange.Decision);
    }

    [Fact]
    public async Task RunRequestAsync_StageResponds_AnswersLocallyWithAnyStatusHeadersAndBody()
    {
        var cached = LocalResponse.Json(200, "cached", """{"id":"cmpl-1","choices":[]}"""u8.ToArray(), new KeyValuePair<string, string>("x-cache", "hit"));
        var respond = new ScriptedStage(StageOrder.Count + 1, _ => ValueTask.FromResult(StageResult.Respond(cached)));
        using var harness = Harness(respond);

        var run = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", Chat);

        Assert.Same(cached, run.Result.Response);
        Assert.Null(run.Result.Response!.Error);
        Assert.NotNull(run.Exchange.PromptTokens);
        Assert.Null(run.Exchange.Decision);
    }

    [Fact]
    public async Task RunRequestAsync_StageHoldsAndIsReleasedInTime_ContinuesWithTheNextStages()
    {
        var release = new TaskCompletionSource();
        var hold = new ScriptedStage(StageOrder.Count + 1, async e =>
        {
            await release.Task.WaitAsync(e.HoldCancellation);
            return StageResult.Continue;
        });
        using var harness = Harness(hold);
        var exchange = harness.NewExchange(ApiKind.ChatCompletions, "/v1/chat/completions", Chat);

        var pending = harness.Pipeline.RunRequestAsync(exchange).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(pending.IsCompleted);
        release.SetResult();
        var result = await pending;

        Assert.True(result.IsContinue);
        Assert.Equal("llm-small", exchange.Decision!.Pool);
    }

    [Fact]
    public async Task RunRequestAsync_StageHoldsPastTheDeadline_Answers504AndCancelsTheHold()
    {
        var holdCancelled = false;
        var hold = new ScriptedStage(StageOrder.Count + 1, async e =>
        {
            using var registration = e.HoldCancellation.Register(() => holdCancelled = true);
            await new TaskCompletionSource().Task; // ignores its token: the pipeline must cut it off
            return StageResult.Continue;
        });
        var later = new ScriptedStage(StageOrder.Route, _ => ValueTask.FromResult(StageResult.Continue));
        using var harness = Harness(hold, later);
        var exchange = harness.NewExchange(ApiKind.ChatCompletions, "/v1/chat/completions", Chat);

        var pending = harness.Pipeline.RunRequestAsync(exchange).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(179));
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(2));
        var result = await pending;

        Assert.Equal((504, "deadline_exceeded"), (result.Response!.Status, result.Response.Kind));
        Assert.True(holdCancelled);
        Assert.Equal(0, later.Calls);
    }

    [Fact]
    public async Task RunRequestAsync_HoldingStageSeesItsTokenCancelledAtTheDeadline_Answers504()
    {
        var hold = new ScriptedStage(StageOrder.Count + 1, async e =>
        {
            await Task.Delay(Timeout.Infinite, e.HoldCancellation);
            return StageResult.Continue;
        });
        using var harness = Harness(hold);
        var exchange = harness.NewExchange(ApiKind.ChatCompletions, "/v1/chat/completions", Chat);

        var pending = harness.Pipeline.RunRequestAsync(exchange).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(200));

        Assert.Equal(504, (await pending).Response!.Status);
    }

    [Fact]
    public async Task RunRequestAsync_SynchronousStageStopsAtTheDeadline_Answers504()
    {
        // A stage that cannot be awaited (counting) watches the hold token and throws when it fires.
        var counting = new ScriptedStage(StageOrder.Count + 1, e =>
        {
            var token = e.HoldCancellation;
            _time.Advance(TimeSpan.FromMilliseconds(181));
            token.ThrowIfCancellationRequested();
            return ValueTask.FromResult(StageResult.Continue);
        });
        var later = new ScriptedStage(StageOrder.Route + 1, _ => ValueTask.FromResult(StageResult.Continue));
        using var harness = Harness(counting, later);

        var result = await harness.Pipeline.RunRequestAsync(harness.NewExchange(ApiKind.ChatCompletions, "/v1/chat/completions", Chat));

        Assert.Equal((504, "deadline_exceeded"), (result.Response!.Status, result.Response.Kind));
        Assert.Equal(0, later.Calls);
    }

    [Fact]
    public async Task RunRequestAsync_StreamAbortedWhileHolding_EndsWithoutAnAnswer()
    {
        using var abort = new CancellationTokenSource();
        var hold = new ScriptedStage(StageOrder.Count + 1, async e =>
        {
            await Task.Delay(Timeout.Infinite, e.HoldCancellation);
            return StageResult.Continue;
        });
        using var harness = Harness(hold);
        var template = harness.NewExchange(ApiKind.ChatCompletions, "/v1/chat/completions", Chat);
        var exchange = new Exchange(template.Table, template.Head, harness.Services.GetRequiredService<ExchangeServices>(), abort.Token)
        {
            Api = template.Api,
            Body = template.Body,
        };

        var pending = harness.Pipeline.RunRequestAsync(exchange).AsTask();
        await abort.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task EndAsync_LeasesTaken_ReleasesEachOnceNewestFirst()
    {
        using var harness = Harness();
        var exchange = harness.NewExchange(ApiKind.ChatCompletions, "/v1/chat/completions", Chat);
        var order = new List<string>();
        var first = new CountingLease(() => order.Add("first"));
        var second = new CountingLease(() => order.Add("second"));
        exchange.AddLease("queue", first);
        exchange.AddLease("budget", second);

        await exchange.EndAsync(ExchangeEnding.Reset);
        await exchange.EndAsync(ExchangeEnding.Completed);
        await exchange.DisposeAsync();

        Assert.Equal((1, 1), (first.Released, second.Released));
        Assert.Equal(["second", "first"], order);
        Assert.Equal(ExchangeEnding.Reset, exchange.Ending);
    }

    [Fact]
    public async Task AddLease_AfterTheExchangeEnded_ReleasesAtOnce()
    {
        using var harness = Harness();
        var exchange = harness.NewExchange(ApiKind.ChatCompletions, "/v1/chat/completions", Chat);
        await exchange.EndAsync(ExchangeEnding.Reset);
        var late = new CountingLease();

        exchange.AddLease("queue", late);

        await Until.TrueAsync(() => late.Released == 1, "the late lease's release");
    }

    [Fact]
    public async Task EndAsync_OneReleaseThrows_StillReleasesTheOthers()
    {
        using var harness = Harness();
        var exchange = harness.NewExchange(ApiKind.ChatCompletions, "/v1/chat/completions", Chat);
        var kept = new CountingLease();
        exchange.AddLease("kept", kept);
        exchange.AddLease("broken", new CountingLease(() => throw new InvalidOperationException("release failed")));

        await exchange.EndAsync(ExchangeEnding.Completed);

        Assert.Equal(1, kept.Released);
    }
}
