namespace AiSidecar.EngineSimulator.Gpu;

/// <summary>
/// A naive model server: one request at a time; the request cost, then its inputs as one GPU batch (split only where
/// they exceed the batch limits), a decode step at a time for generation; the next request starts when it is done.
/// </summary>
internal sealed class SerialScheduler(CostModel cost, int maxBatchItems, int maxBatchTokens, GpuClock clock, Action<GpuPass> onPass) : IGpuScheduler
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private TimeSpan _busyUntil;

    public async Task RunAsync(GpuWork work)
    {
        var arrival = clock.Now;
        await _turn.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            // Starts when it arrived or when the previous request ended, whichever is later: never when this task woke.
            var at = (arrival > _busyUntil ? arrival : _busyUntil) + cost.RequestCost;
            foreach (var (count, tokens) in GpuBatches.Split(work.Tokens, maxBatchItems, maxBatchTokens))
            {
                for (var step = 0; step < work.Steps; step++)
                {
                    var end = at + (work.Decode ? cost.Pass(0, count) : cost.Pass(count, 0));
                    onPass(new GpuPass(at, end, count, step == 0 ? count : 0, step == 0 ? tokens : 0));
                    at = end;
                }
            }

            _busyUntil = at;
            await clock.DelayUntilAsync(at, _stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        return ValueTask.CompletedTask;
    }
}
