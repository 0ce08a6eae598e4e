using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Admission.Breaker;

/// <summary>
/// A request's permit from its pool's breaker, held as a lease on the exchange: the response stage completes it with
/// the response's outcome; when the exchange ends first, the lease decides. A request that went upstream and whose
/// stream Envoy closed without response headers (its own timeout or reset reply, which it no longer shows the server)
/// is a failure. A stream reset before the response headers has no outcome: that is mostly the client going away
/// (a user stopping a generation before its first token), and counting it would open breakers on healthy pools. One
/// that never went upstream (answered locally, or not applied) or ended with the server (shutdown, idle, a gRPC
/// error) has no outcome either: a probe gives its slot back.
/// </summary>
internal sealed class BreakerTicket : IAsyncDisposable
{
    private readonly PoolBreaker _breaker;
    private readonly Exchange _exchange;
    private readonly int _generation;
    private int _done;

    public BreakerTicket(string pool, PoolBreaker breaker, BreakerPermit permit, int generation, Exchange exchange)
    {
        Pool = pool;
        Permit = permit;
        _breaker = breaker;
        _generation = generation;
        _exchange = exchange;
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

    /// <summary>The exchange ended: a request that went upstream and whose stream Envoy closed without response headers failed; anything else has no outcome.</summary>
    public ValueTask DisposeAsync()
    {
        if (_exchange.Applied && !_exchange.Response.HeadersArrived && _exchange.Ending == ExchangeEnding.Completed)
        {
            Complete(success: false);
        }
        else
        {
            Release();
        }

        return ValueTask.CompletedTask;
    }
}
