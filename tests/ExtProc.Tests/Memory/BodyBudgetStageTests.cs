using System.Text.Json;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Memory;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Memory;

/// <summary>
/// Large bodies enter the stages within the budget, wait in a bounded line within the hold budget, else 503 with
/// retry-after; the room is given back when the request is released. Time is a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class BodyBudgetStageTests : IDisposable
{
    /// <summary>Budget for two 40 KB bodies, a line for two more; bodies from 1 KB count; 200 ms message timeout (180 ms to hold).</summary>
    private static readonly string[] Limits =
    [
        "--processing:maxBodyBytes=80000", "--memory:bodyBytesInFlight=80000", "--memory:queuedBodyBytes=80000",
        "--memory:largeBodyBytes=1000", "--memory:retryAfterSeconds=7",
    ];

    private readonly FakeTimeProvider _time = new();
    private readonly PipelineHarness _harness;

    public BodyBudgetStageTests() =>
        _harness = new PipelineHarness(TestConfigs.Load("", Limits), s => s.AddSingleton<TimeProvider>(_time));

    private BodyBudget Budget => _harness.Services.GetRequiredService<BodyBudget>();

    public void Dispose() => _harness.Dispose();

    private Exchange Large() => _harness.NewExchange(ApiKind.Completions, "/v1/completions", InferenceBodies.Completion(new string('a', 40_000 - 40)));

    [Fact]
    public async Task ProcessAsync_SmallBody_NeverTouchesTheBudget()
    {
        var run = await _harness.RunAsync(ApiKind.Completions, "/v1/completions", InferenceBodies.Completion("hi"));

        Assert.True(run.Result.IsContinue);
        Assert.Equal(0, Budget.InFlight);
    }

    [Fact]
    public async Task RunRequestAsync_BudgetHasRoom_DecidesAndHoldsTheRoomUntilTheRequestIsReleased()
    {
        var exchange = Large();

        var result = await _harness.Pipeline.RunRequestAsync(exchange);

        Assert.True(result.IsContinue);
        Assert.Equal(exchange.Body.Length, Budget.InFlight);
        await exchange.ReleaseRequestAsync();
        Assert.Equal(0, Budget.InFlight);
        Assert.True(exchange.Body.IsEmpty);
        Assert.Null(exchange.Request);
        await exchange.EndAsync(ExchangeEnding.Completed);
    }

    [Fact]
    public async Task RunRequestAsync_BudgetFull_WaitsInLineThenDecidesWhenRoomIsGivenBack()
    {
        var first = Large();
        var second = Large();
        var third = Large();
        Assert.True((await _harness.Pipeline.RunRequestAsync(first)).IsContinue);
        Assert.True((await _harness.Pipeline.RunRequestAsync(second)).IsContinue);

        var waiting = _harness.Pipeline.RunRequestAsync(third).AsTask();
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(80));
        await first.ReleaseRequestAsync();

        var result = await waiting;
        Assert.True(result.IsContinue);
        Assert.NotNull(third.Decision);
        foreach (var exchange in new[] { first, second, third })
        {
            await exchange.EndAsync(ExchangeEnding.Completed);
        }

        Assert.Equal(0, Budget.InFlight);
    }

    [Fact]
    public async Task RunRequestAsync_NoRoomWithinHalfTheHoldBudget_Answers503WithRetryAfter()
    {
        await using var first = Large();
        await using var second = Large();
        await using var third = Large();
        await _harness.Pipeline.RunRequestAsync(first);
        await _harness.Pipeline.RunRequestAsync(second);

        var waiting = _harness.Pipeline.RunRequestAsync(third).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(90));
        var response = (await waiting).Response!;

        Assert.Equal((503, "overloaded"), (response.Status, response.Kind));
        Assert.Contains(new KeyValuePair<string, string>("retry-after", "7"), response.Headers);
        Assert.Equal("server_overloaded", JsonDocument.Parse(response.Body).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Null(third.Request);
        Assert.Equal(0, Budget.Queued);
    }

    [Fact]
    public async Task RunRequestAsync_LineFull_Answers503AtOnce()
    {
        var exchanges = Enumerable.Range(0, 5).Select(_ => Large()).ToList();
        await _harness.Pipeline.RunRequestAsync(exchanges[0]);
        await _harness.Pipeline.RunRequestAsync(exchanges[1]);
        var waiting = new[] { _harness.Pipeline.RunRequestAsync(exchanges[2]).AsTask(), _harness.Pipeline.RunRequestAsync(exchanges[3]).AsTask() };

        var shed = await _harness.Pipeline.RunRequestAsync(exchanges[4]);

        Assert.Equal(503, shed.Response!.Status);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        await exchanges[0].ReleaseRequestAsync();
        await exchanges[1].ReleaseRequestAsync();
        Assert.All(await Task.WhenAll(waiting), r => Assert.True(r.IsContinue));
        foreach (var exchange in exchanges)
        {
            await exchange.EndAsync(ExchangeEnding.Completed);
        }

        Assert.Equal(0, Budget.InFlight);
        Assert.Equal(0, Budget.Queued);
    }

    [Fact]
    public async Task EndAsync_StreamEndsWhileWaiting_LeavesTheLine()
    {
        using var aborted = new CancellationTokenSource();
        var holder = Large();
        await _harness.Pipeline.RunRequestAsync(holder);
        await _harness.Pipeline.RunRequestAsync(Large());
        var table = _harness.Table;
        await using var waiter = new Exchange(table, new RequestHead { Method = "POST", Path = "/v1/completions" }, _harness.Services.GetRequiredService<ExchangeServices>(), aborted.Token)
        {
            Api = ApiKind.Completions,
            Body = Large().Body,
        };
        var waiting = _harness.Pipeline.RunRequestAsync(waiter).AsTask();
        Assert.Equal(waiter.Body.Length, Budget.Queued);

        await aborted.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, Budget.Queued);
        await holder.EndAsync(ExchangeEnding.Completed);
    }
}
