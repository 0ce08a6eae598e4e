namespace AiSidecar.EngineSimulator.Gpu;

/// <summary>
/// Batching inside, as TEI and vLLM do it: each request pays its request cost on its own (the CPU work of many
/// requests overlaps), then its inputs queue; whenever the GPU is free, one pass takes every ready input in arrival
/// order up to the batch limits. Generated sequences stay in the running batch for their decode steps and new ones
/// join at any step (continuous batching).
/// </summary>
internal sealed class BatchingScheduler : IGpuScheduler
{
    private readonly CostModel _cost;
    private readonly int _maxBatchItems;
    private readonly int _maxBatchTokens;
    private readonly GpuClock _clock;
    private readonly Action<GpuPass> _onPass;
    private readonly Lock _gate = new();
    private readonly List<Sequence> _waiting = [];
    private readonly List<Sequence> _running = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TimeSpan _gpuFreeAt;
    private bool _idle;

    public BatchingScheduler(CostModel cost, int maxBatchItems, int maxBatchTokens, GpuClock clock, Action<GpuPass> onPass)
    {
        _cost = cost;
        _maxBatchItems = maxBatchItems;
        _maxBatchTokens = maxBatchTokens;
        _clock = clock;
        _onPass = onPass;
        _loop = Task.Run(LoopAsync);
    }

    public async Task RunAsync(GpuWork work)
    {
        var ready = _clock.Now + _cost.RequestCost;
        await _clock.DelayUntilAsync(ready, _stop.Token).ConfigureAwait(false);
        var done = new Countdown(work.Tokens.Count);
        lock (_gate)
        {
            _stop.Token.ThrowIfCancellationRequested();
            foreach (var tokens in work.Tokens)
            {
                _waiting.Add(new Sequence(work.Decode, tokens, work.Steps, ready, done));
            }

            if (_idle)
            {
                _idle = false;
                _wake.Release();
            }
        }

        await done.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        lock (_gate)
        {
            foreach (var sequence in _waiting.Concat(_running))
            {
                sequence.Done.Cancel();
            }
        }
    }

    private async Task LoopAsync()
    {
        var stop = _stop.Token;
        while (true)
        {
            GpuPass? pass;
            lock (_gate)
            {
                pass = Schedule();
                _idle = pass is null;
            }

            if (pass is null)
            {
                await _wake.WaitAsync(stop).ConfigureAwait(false);
                continue;
            }

            _onPass(pass);
            await _clock.DelayUntilAsync(pass.End, stop).ConfigureAwait(false);
            lock (_gate)
            {
                for (var i = _running.Count - 1; i >= 0; i--)
                {
                    if (--_running[i].StepsLeft == 0)
                    {
                        _running[i].Done.Signal();
                        _running.RemoveAt(i);
                    }
                }
            }
        }
    }

    /// <summary>The next pass (its inputs moved to the running batch), or null when there is nothing to run.</summary>
    private GpuPass? Schedule()
    {
        if (_running.Count == 0 && _waiting.Count == 0)
        {
            return null;
        }

        // The pass starts when the GPU is free or, when it is idle, when the first waiting input became ready.
        var start = _gpuFreeAt;
        if (_running.Count == 0)
        {
            var earliest = _waiting.Min(s => s.Ready);
            start = earliest > start ? earliest : start;
        }

        var tokens = _running.Count; // a running sequence decodes one token a step
        var newItems = 0;
        var newTokens = 0;
        for (var i = 0; i < _waiting.Count && _running.Count < _maxBatchItems;)
        {
            var next = _waiting[i];
            if (next.Ready > start)
            {
                i++;
                continue;
            }

            if (tokens + next.Tokens > _maxBatchTokens && _running.Count > 0)
            {
                break;
            }

            tokens += next.Tokens;
            newItems++;
            newTokens += next.Tokens;
            _running.Add(next);
            _waiting.RemoveAt(i);
        }

        var decoding = _running.Count(s => s.Decode);
        var end = start + _cost.Pass(_running.Count - decoding, decoding);
        _gpuFreeAt = end;
        return new GpuPass(start, end, _running.Count, newItems, newTokens);
    }

    /// <summary>One input or sequence of a request, queued or running.</summary>
    private sealed class Sequence(bool decode, int tokens, int steps, TimeSpan ready, Countdown done)
    {
        public bool Decode { get; } = decode;

        public int Tokens { get; } = tokens;

        public TimeSpan Ready { get; } = ready;

        public Countdown Done { get; } = done;

        public int StepsLeft { get; set; } = steps;
    }

    /// <summary>Completes when every input or sequence of a request has finished.</summary>
    private sealed class Countdown
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _left;

        public Countdown(int count)
        {
            _left = count;
            if (count == 0)
            {
                _done.SetResult();
            }
        }

        public Task Task => _done.Task;

        public void Signal()
        {
            if (--_left == 0)
            {
                _done.TrySetResult();
            }
        }

        public void Cancel() => _done.TrySetCanceled();
    }
}
