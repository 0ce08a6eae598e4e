namespace AiSidecar.EngineSimulator;

/// <summary>The faults a test can inject: answer the next requests with an error or a reset, or hold them until released.</summary>
internal sealed class FaultControls
{
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _heldWaiters = [];
    private TaskCompletionSource? _stall;
    private int _held;
    private int _failCount;
    private int _failStatus;

    /// <summary>Requests held by <see cref="Stall"/> now.</summary>
    public int Held
    {
        get
        {
            lock (_gate)
            {
                return _held;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> requests answer <paramref name="status"/> (0: the connection is reset).</summary>
    public void FailNext(int count, int status)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (status != 0 && status is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Expected an error status (400-599) or 0 for a reset.");
        }

        lock (_gate)
        {
            _failCount = count;
            _failStatus = status;
        }
    }

    /// <summary>From now on, requests wait before any work until <see cref="Release"/>.</summary>
    public void Stall()
    {
        lock (_gate)
        {
            _stall ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets the held requests (and later ones) through.</summary>
    public void Release()
    {
        TaskCompletionSource? stall;
        lock (_gate)
        {
            stall = _stall;
            _stall = null;
        }

        stall?.TrySetResult();
    }

    /// <summary>Completes once <paramref name="count"/> requests are held at the same time.</summary>
    public Task WaitForHeldAsync(int count, CancellationToken cancellationToken)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_held >= count)
            {
                return Task.CompletedTask;
            }

            _heldWaiters.Add((count, reached));
        }

        return reached.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Holds the request while stalled (until released or the client leaves), then takes an injected failure:
    /// null to go on, else the status to answer (0: reset).
    /// </summary>
    public async Task<int?> PassAsync(CancellationToken requestAborted)
    {
        Task? stall;
        lock (_gate)
        {
            stall = _stall?.Task;
            if (stall is not null)
            {
                _held++;
                for (var i = _heldWaiters.Count - 1; i >= 0; i--)
                {
                    if (_held >= _heldWaiters[i].Count)
                    {
                        _heldWaiters[i].Reached.TrySetResult();
                        _heldWaiters.RemoveAt(i);
                    }
                }
            }
        }

        if (stall is not null)
        {
            try
            {
                await stall.WaitAsync(requestAborted).ConfigureAwait(false);
            }
            finally
            {
                lock (_gate)
                {
                    _held--;
                }
            }
        }

        lock (_gate)
        {
            if (_failCount == 0)
            {
                return null;
            }

            _failCount--;
            return _failStatus;
        }
    }
}
