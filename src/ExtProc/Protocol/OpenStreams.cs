namespace AiSidecar.ExtProc.Protocol;

/// <summary>The ext_proc streams open now, and a wait for there to be none: what a graceful drain waits for.</summary>
internal sealed class OpenStreams
{
    private readonly Lock _gate = new();
    private int _count;
    private TaskCompletionSource? _none;

    /// <summary>Streams open now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public void Opened()
    {
        lock (_gate)
        {
            _count++;
        }
    }

    public void Closed()
    {
        TaskCompletionSource? none = null;
        lock (_gate)
        {
            if (--_count == 0)
            {
                (none, _none) = (_none, null);
            }
        }

        none?.TrySetResult();
    }

    /// <summary>Completes once no stream is open (at once when none is).</summary>
    public Task WhenNoneAsync(CancellationToken cancellation)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return Task.CompletedTask;
            }

            _none ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _none.Task.WaitAsync(cancellation);
        }
    }
}
