using AiSidecar.ExtProc.Telemetry;

namespace AiSidecar.ExtProc.Pipeline;

/// <summary>
/// The exchange's life: the deadline of the message the server holds and the hold token stages wait on, the leases
/// stages take, releasing the request once it is decided, and the end (every lease released, exactly once).
/// </summary>
internal sealed partial class Exchange
{
    private readonly Lock _gate = new();
    private List<Lease>? _leases;
    private CancellationTokenSource? _hold;
    private CancellationTokenRegistration _holdLink;
    private bool _ended;

    /// <summary>Time left before <see cref="Deadline"/>.</summary>
    public TimeSpan Remaining => Deadline == long.MaxValue ? Timeout.InfiniteTimeSpan
        : TimeSpan.FromTicks(Math.Max(0, _time.GetElapsedTime(_time.GetTimestamp(), Deadline).Ticks));

    /// <summary>
    /// The token a holding stage passes to what it awaits: cancelled at the deadline or when the stream ends.
    /// Created on first use, so stages that never wait cost nothing.
    /// </summary>
    public CancellationToken HoldCancellation
    {
        get
        {
            if (_hold is null)
            {
                _hold = Deadline == long.MaxValue ? new CancellationTokenSource() : new CancellationTokenSource(Remaining, _time);
                _holdLink = Aborted.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _hold);
            }

            return _hold.Token;
        }
    }

    /// <summary>Starts a new hold for the message now being answered: the deadline moves, the hold token is renewed.</summary>
    internal void HoldUntil(long deadline)
    {
        ReleaseHold();
        Deadline = deadline;
    }

    /// <summary>Takes a lease (a queue slot, a budget reservation, a batch membership), released when the exchange ends.</summary>
    /// <param name="kind">The lease's kind: the metric label.</param>
    /// <param name="release">Releases it; called once, whatever the ending.</param>
    /// <param name="whileBodyHeld">
    /// Release it as soon as the request is decided or answered (<see cref="ReleaseRequestAsync"/>), rather than at
    /// the end of the exchange: for what covers the body itself, such as a memory budget.
    /// </param>
    public void AddLease(string kind, IAsyncDisposable release, bool whileBodyHeld = false)
    {
        lock (_gate)
        {
            if (!_ended)
            {
                (_leases ??= []).Add(new Lease(kind, release, whileBodyHeld));
                _metrics.LeaseTaken(kind);
                return;
            }
        }

        // The exchange ended while the stage that took the lease was still running (it was abandoned at the deadline).
        _ = ReleaseAsync(kind, release, counted: false);
    }

    /// <summary>
    /// The request is decided, its reply built: drops the body and what was parsed from it (<see cref="Body"/>,
    /// <see cref="ReplacementBody"/>, <see cref="Request"/>, <see cref="UpstreamRequest"/>; response stages read the
    /// decision) and releases the leases taken <c>whileBodyHeld</c>, newest first.
    /// </summary>
    public async ValueTask ReleaseRequestAsync()
    {
        Body = default;
        ReplacementBody = null;
        Request = null;
        UpstreamRequest = null;
        List<Lease>? held = null;
        lock (_gate)
        {
            if (_leases is not null)
            {
                held = _leases.FindAll(l => l.WhileBodyHeld);
                _leases.RemoveAll(l => l.WhileBodyHeld);
            }
        }

        for (var i = (held?.Count ?? 0) - 1; i >= 0; i--)
        {
            await ReleaseAsync(held![i].Kind, held[i].Release, counted: true).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the exchange with <paramref name="ending"/>: releases the leases (newest first), ends the span. Only the first call counts.</summary>
    public async ValueTask EndAsync(ExchangeEnding ending)
    {
        List<Lease>? leases;
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            leases = _leases;
            _leases = null;
        }

        Ending = ending;
        _hold?.Cancel();
        ReleaseHold();
        for (var i = (leases?.Count ?? 0) - 1; i >= 0; i--)
        {
            await ReleaseAsync(leases![i].Kind, leases[i].Release, counted: true).ConfigureAwait(false);
        }

        ExtProcTelemetry.EndDangling(this, ending);
        if (Span is { } span)
        {
            span.SetTag("extproc.ending", ending.ToString());
            span.Dispose();
        }
    }

    private void ReleaseHold()
    {
        _holdLink.Dispose();
        _hold?.Dispose();
        _hold = null;
    }

    private async Task ReleaseAsync(string kind, IAsyncDisposable release, bool counted)
    {
        try
        {
            await release.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One failing release must not keep the others: each is counted released either way.
            PipelineLog.LeaseReleaseFailed(_logger, ex, kind);
        }
        finally
        {
            if (counted)
            {
                _metrics.LeaseReleased(kind);
            }
        }
    }

    /// <summary>Ends the exchange as <see cref="ExchangeEnding.Completed"/> unless it ended already.</summary>
    public ValueTask DisposeAsync() => EndAsync(ExchangeEnding.Completed);

    private sealed record Lease(string Kind, IAsyncDisposable Release, bool WhileBodyHeld);
}
