namespace AiSidecar.ExtProc.Admission.Breaker;

/// <summary>
/// A request's permit from its pool's breaker, held as a lease on the exchange: the response stage completes it with
/// the response's outcome. When the exchange ends first, it has no outcome and a probe gives its slot back: a stream
/// that ends before the response headers is, from here, the client going away (a user stopping a generation before
/// its first token) as much as Envoy giving up on the upstream, and counting the former opened a healthy pool's
/// breaker within a minute in the soak (docs/admission.md, "What counts as a failure").
/// </summary>
internal sealed class BreakerTicket : IAsyncDisposable
{
    private readonly PoolBreaker _breaker;
    private readonly int _generation;
    private int _done;

    public BreakerTicket(string pool, PoolBreaker breaker, BreakerPermit permit, int generation)
    {
        Pool = pool;
        Permit = permit;
        _breaker = breaker;
        _generation = generation;
    }

    /// <summary>The pool the permit is for.</summary>
    public string Pool { get; }

    /// <summary><see cref="BreakerPermit.Allowed"/> or <see cref="BreakerPermit.Probe"/>.</summary>
    public BreakerPermit Permit { get; }

    /// <summary>Records the outcome (once; later calls do nothing).</summary>
    public void Complete(bool success)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0)
        {
            return;
        }

        if (Permit == BreakerPermit.Probe)
        {
            _breaker.RecordProbe(_generation, success);
        }
        else
        {
            _breaker.Record(success);
        }
    }

    /// <summary>Gives the permit back without an outcome (another pool was chosen, the request was not sent); once.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0 && Permit == BreakerPermit.Probe)
        {
            _breaker.ReleaseProbe(_generation);
        }
    }

    /// <summary>The exchange ended without a response outcome (or after one): nothing to record, a probe's slot is given back.</summary>
    public ValueTask DisposeAsync()
    {
        Release();
        return ValueTask.CompletedTask;
    }
}
