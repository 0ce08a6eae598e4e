using AiSidecar.EngineSimulator;
using AiSidecar.EngineSimulator.Gpu;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Coalescing.Simulator;

/// <summary>
/// The two scheduling modes on a fake clock: when each GPU pass starts and ends, which inputs share it, and when a
/// request completes. Times are on the virtual clock (since the scheduler started).
/// </summary>
public sealed class GpuSchedulerTests
{
    private static readonly CostModel Pooling = new() { BatchCost = Us(100), ItemCost = Us(10) };
    private static readonly CostModel Decoding = new() { DecodeStepCost = Us(100), DecodeSequenceCost = Us(10) };

    private readonly FakeTimeProvider _clock = new();
    private readonly PassLog _log = new();

    [Fact]
    public async Task Serial_OneRequest_EndsAfterTheRequestCostAndItsBatch()
    {
        await using var serial = Serial(CostModel.TeiL4);

        var request = serial.RunAsync(GpuWork.Pooling([2, 2, 2, 2, 2, 2, 2, 2]));

        Assert.Equal([new GpuPass(Us(1000), Us(1000 + 2047 + (8 * 727)), 8, 8, 16)], await _log.WaitForAsync(1));
        _clock.Advance(Us(8863) - TimeSpan.FromTicks(1));
        Assert.False(request.IsCompleted);
        _clock.Advance(TimeSpan.FromTicks(1));
        await request.WaitAsync(PassLog.Guard);
    }

    [Fact]
    public async Task Serial_TwoRequestsAtOnce_TheSecondStartsWhenTheFirstEndsHoweverLateItWakes()
    {
        await using var serial = Serial(CostModel.TeiL4);

        var first = serial.RunAsync(GpuWork.Pooling([1]));
        var second = serial.RunAsync(GpuWork.Pooling([1]));
        _clock.Advance(Us(5000));
        await first.WaitAsync(PassLog.Guard);
        var passes = await _log.WaitForAsync(2);

        Assert.Equal(new GpuPass(Us(1000), Us(3774), 1, 1, 1), passes[0]);
        Assert.Equal(new GpuPass(Us(4774), Us(7548), 1, 1, 1), passes[1]);
        _clock.Advance(Us(7548 - 5000) - TimeSpan.FromTicks(1));
        Assert.False(second.IsCompleted);
        _clock.Advance(TimeSpan.FromTicks(1));
        await second.WaitAsync(PassLog.Guard);
    }

    [Fact]
    public async Task Serial_InputsAboveTheBatchLimits_ConsecutiveBatches()
    {
        await using var serial = Serial(Pooling, maxItems: 2, maxTokens: 10);

        var request = serial.RunAsync(GpuWork.Pooling([4, 4, 4, 9]));

        Assert.Equal(
            [new GpuPass(Us(0), Us(120), 2, 2, 8), new GpuPass(Us(120), Us(230), 1, 1, 4), new GpuPass(Us(230), Us(340), 1, 1, 9)],
            await _log.WaitForAsync(3));
        _clock.Advance(Us(340));
        await request.WaitAsync(PassLog.Guard);
    }

    [Fact]
    public async Task Serial_Generation_OneDecodeStepPerToken()
    {
        await using var serial = Serial(Decoding);

        var request = serial.RunAsync(GpuWork.Generation([3, 5], 3));

        Assert.Equal(
            [new GpuPass(Us(0), Us(120), 2, 2, 8), new GpuPass(Us(120), Us(240), 2, 0, 0), new GpuPass(Us(240), Us(360), 2, 0, 0)],
            await _log.WaitForAsync(3));
        _clock.Advance(Us(360));
        await request.WaitAsync(PassLog.Guard);
    }

    [Fact]
    public async Task Batching_RequestsArrivingWhileTheGpuIsBusy_ShareTheNextBatch()
    {
        await using var batching = Batching(Pooling);

        var first = batching.RunAsync(GpuWork.Pooling([1]));
        await _log.WaitForAsync(1);
        var second = batching.RunAsync(GpuWork.Pooling([1, 1]));
        var third = batching.RunAsync(GpuWork.Pooling([1]));
        _clock.Advance(Us(110));
        await first.WaitAsync(PassLog.Guard);
        var passes = await _log.WaitForAsync(2);

        Assert.Equal([new GpuPass(Us(0), Us(110), 1, 1, 1), new GpuPass(Us(110), Us(240), 3, 3, 3)], passes);
        Assert.False(second.IsCompleted || third.IsCompleted);
        _clock.Advance(Us(130));
        await Task.WhenAll(second, third).WaitAsync(PassLog.Guard);
    }

    [Fact]
    public async Task Batching_RequestCosts_OverlapInsteadOfQueueing()
    {
        await using var batching = Batching(CostModel.TeiL4);

        var first = batching.RunAsync(GpuWork.Pooling([1]));
        _clock.Advance(Us(500));
        var second = batching.RunAsync(GpuWork.Pooling([1]));
        _clock.Advance(Us(500));
        Assert.Equal([new GpuPass(Us(1000), Us(3774), 1, 1, 1)], await _log.WaitForAsync(1));
        _clock.Advance(Us(2774));
        await first.WaitAsync(PassLog.Guard);

        // Serial would start the second at 4.774 ms: its request cost after the first; here it was paid meanwhile.
        Assert.Equal(new GpuPass(Us(3774), Us(6548), 1, 1, 1), (await _log.WaitForAsync(2))[1]);
        _clock.Advance(Us(2774));
        await second.WaitAsync(PassLog.Guard);
    }

    [Fact]
    public async Task Batching_QueueAboveTheBatchLimits_InArrivalOrderWithinTokensAndItems()
    {
        await using var batching = Batching(Pooling, maxItems: 2, maxTokens: 10);

        var first = batching.RunAsync(GpuWork.Pooling([1]));
        await _log.WaitForAsync(1);
        var queued = new[] { batching.RunAsync(GpuWork.Pooling([6])), batching.RunAsync(GpuWork.Pooling([6])), batching.RunAsync(GpuWork.Pooling([1, 1, 1])) };
        for (var pass = 2; pass <= 4; pass++)
        {
            var last = (await _log.WaitForAsync(pass - 1))[^1];
            _clock.Advance(last.End - last.Start);
            await _log.WaitForAsync(pass);
        }

        var passes = await _log.WaitForAsync(4);
        Assert.Equal([(1, 1), (1, 6), (2, 7), (2, 2)], passes.Select(p => (p.Sequences, p.NewTokens)));
        _clock.Advance(passes[^1].End - passes[^1].Start);
        await Task.WhenAll([first, .. queued]).WaitAsync(PassLog.Guard);
    }

    [Fact]
    public async Task Batching_Generation_NewSequencesJoinTheRunningBatchAtTheNextStep()
    {
        await using var batching = Batching(Decoding);

        var longer = batching.RunAsync(GpuWork.Generation([2], 3));
        await _log.WaitForAsync(1);
        var shorter = batching.RunAsync(GpuWork.Generation([4], 1));
        _clock.Advance(Us(110));
        await _log.WaitForAsync(2);
        _clock.Advance(Us(120));
        await shorter.WaitAsync(PassLog.Guard);
        var passes = await _log.WaitForAsync(3);

        Assert.Equal(
            [new GpuPass(Us(0), Us(110), 1, 1, 2), new GpuPass(Us(110), Us(230), 2, 1, 4), new GpuPass(Us(230), Us(340), 1, 0, 0)],
            passes);
        Assert.False(longer.IsCompleted);
        _clock.Advance(Us(110));
        await longer.WaitAsync(PassLog.Guard);
    }

    private static TimeSpan Us(long microseconds) => TimeSpan.FromMicroseconds(microseconds);

    private SerialScheduler Serial(CostModel cost, int maxItems = 256, int maxTokens = 16_384) =>
        new(cost, maxItems, maxTokens, new GpuClock(_clock), _log.Record);

    private BatchingScheduler Batching(CostModel cost, int maxItems = 256, int maxTokens = 16_384) =>
        new(cost, maxItems, maxTokens, new GpuClock(_clock), _log.Record);
}
