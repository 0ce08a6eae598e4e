namespace AiSidecar.ExtProc.Protocol;

/// <summary>
/// Cancels a stream's read when no message arrives within the idle timeout. It runs only while the server waits for
/// the next message, never while it handles one; off (no timer at all) when the timeout is zero.
/// </summary>
internal sealed class StreamIdleTimer : IDisposable
{
    private readonly CancellationTokenSource? _idle;
    private readonly CancellationTokenSource? _linked;
    private readonly TimeSpan _timeout;

    private StreamIdleTimer(CancellationTokenSource? idle, CancellationTokenSource? linked, TimeSpan timeout, CancellationToken call)
    {
        _idle = idle;
        _linked = linked;
        _timeout = timeout;
        Token = linked?.Token ?? call;
    }

    /// <summary>Cancelled when the call ends or the idle timeout expires: what the read waits on.</summary>
    public CancellationToken Token { get; }

    /// <summary>True once the timeout has expired.</summary>
    public bool Expired => _idle?.IsCancellationRequested == true;

    /// <summary>A timer for one stream; <paramref name="timeout"/> zero or less turns it off.</summary>
    public static StreamIdleTimer Start(TimeSpan timeout, TimeProvider time, CancellationToken call)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return new StreamIdleTimer(null, null, timeout, call);
        }

        var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        return new StreamIdleTimer(idle, CancellationTokenSource.CreateLinkedTokenSource(call, idle.Token), timeout, call);
    }

    /// <summary>Starts the wait for the next message.</summary>
    public void Arm() => _idle?.CancelAfter(_timeout);

    /// <summary>A message arrived (or the wait ended): the timer stops until the next wait.</summary>
    public void Disarm() => _idle?.CancelAfter(Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _linked?.Dispose();
        _idle?.Dispose();
    }
}
