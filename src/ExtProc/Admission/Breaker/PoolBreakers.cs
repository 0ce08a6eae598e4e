using System.Collections.Concurrent;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Admission.Breaker;

/// <summary>
/// The circuit breaker of every pool (<c>admission.breaker</c>), created on a pool's first request. The admission
/// stage asks <see cref="TryEnter"/> before it sends a request to a pool; the response stage
/// (<see cref="BreakerResponseStage"/>) feeds the outcomes. With <c>failures: 0</c> every request is allowed and
/// nothing is recorded. After a reload, the breakers of pools no request can reach any more are dropped (with their
/// timers); a pool that comes back starts closed.
/// </summary>
internal sealed class PoolBreakers : IDisposable
{
    private const string LeaseKind = "breaker";
    private readonly BreakerOptions _options;
    private readonly TimeProvider _time;
    private readonly ExtProcMetrics _metrics;
    private readonly ILogger _logger;
    private readonly IRoutingTableSource _tables;
    private readonly ConcurrentDictionary<string, PoolBreaker> _pools = new(StringComparer.Ordinal);
    private int _prunedGeneration;

    public PoolBreakers(IOptions<AdmissionOptions> options, TimeProvider time, ExtProcMetrics metrics, IRoutingTableSource tables, ILogger<PoolBreakers> logger)
    {
        _options = options.Value.Breaker;
        _time = time;
        _metrics = metrics;
        _tables = tables;
        _logger = logger;
        _prunedGeneration = tables.Current.Generation;
    }

    /// <summary>False with <c>failures: 0</c>: every request is allowed, no outcome is recorded.</summary>
    public bool Enabled => _options.Failures > 0;

    /// <summary>
    /// Asks <paramref name="pool"/>'s breaker to let <paramref name="exchange"/> through. Allowed and probe permits
    /// become <see cref="Exchange.BreakerTicket"/>, a lease on the exchange that records the outcome (or gives a probe's
    /// slot back) however it ends; a permit the exchange held for another pool is given back first.
    /// </summary>
    public BreakerPermit TryEnter(string pool, Exchange exchange)
    {
        if (!Enabled)
        {
            return BreakerPermit.Allowed;
        }

        exchange.BreakerTicket?.Release();
        exchange.BreakerTicket = null;
        var breaker = For(pool);
        var permit = breaker.TryEnter(out var generation);
        if (permit != BreakerPermit.Refused)
        {
            var ticket = new BreakerTicket(pool, breaker, permit, generation);
            exchange.BreakerTicket = ticket;
            exchange.AddLease(LeaseKind, ticket);
        }

        return permit;
    }

    /// <summary>The outcome of a request sent to <paramref name="pool"/> without a permit (counts while the breaker is closed).</summary>
    public void Record(string pool, bool success)
    {
        if (Enabled)
        {
            For(pool).Record(success);
        }
    }

    /// <summary>The state of <paramref name="pool"/>'s breaker (closed for a pool it has not seen, and when breakers are off).</summary>
    public BreakerState StateOf(string pool) => Enabled && _pools.TryGetValue(pool, out var breaker) ? breaker.State : BreakerState.Closed;

    /// <summary>How long <paramref name="pool"/>'s breaker stays open from now (zero when it is not open).</summary>
    public TimeSpan OpenFor(string pool) => Enabled && _pools.TryGetValue(pool, out var breaker) ? breaker.OpenFor : TimeSpan.Zero;

    public void Dispose()
    {
        foreach (var breaker in _pools.Values)
        {
            breaker.Dispose();
        }
    }

    private PoolBreaker For(string pool)
    {
        var table = _tables.Current;
        if (table.Generation != Volatile.Read(ref _prunedGeneration))
        {
            Prune(table);
        }

        return _pools.TryGetValue(pool, out var breaker) ? breaker
            : _pools.GetOrAdd(pool, static (name, self) => new PoolBreaker(name, self._options, self._time, self._metrics, self._logger), this);
    }

    /// <summary>Drops the breakers of pools <paramref name="table"/> cannot send a request to (once per reload).</summary>
    private void Prune(RoutingTable table)
    {
        var seen = Volatile.Read(ref _prunedGeneration);
        if (Interlocked.CompareExchange(ref _prunedGeneration, table.Generation, seen) != seen)
        {
            return;
        }

        foreach (var pool in _pools.Keys)
        {
            if (!table.Catalog.PoolNames.Contains(pool) && _pools.TryRemove(pool, out var gone))
            {
                gone.Dispose();
            }
        }
    }
}
