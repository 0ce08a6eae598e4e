using AiSidecar.ExtProc.Telemetry;

namespace AiSidecar.ExtProc.Admission.Breaker;

/// <summary>
/// One pool's circuit breaker. Closed: failures in a row are counted, a success resets the count, and
/// <c>failures</c> of them open it. Open: every new request is refused for <c>openSeconds</c> (a timer, so the state
/// and its metric move on time even without traffic). Half-open: up to <c>halfOpenProbes</c> requests go as probes;
/// when that many have succeeded it closes, and one probe failure opens it again. Outcomes of requests let in before
/// it opened count only while it is closed: in the other states only probes decide. Each opening starts a new
/// generation, so a late probe of an earlier half-open period cannot close it.
/// </summary>
internal sealed class PoolBreaker : IDisposable
{
    private readonly string _pool;
    private readonly BreakerOptions _options;
    private readonly TimeProvider _time;
    private readonly ExtProcMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private BreakerState _state;
    private int _failures;
    private int _probesOut;
    private int _probeSuccesses;
    private int _generation;
    private long _openUntil;
    private ITimer? _timer;

    public PoolBreaker(string pool, BreakerOptions options, TimeProvider time, ExtProcMetrics metrics, ILogger logger)
    {
        _pool = pool;
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        metrics.BreakerState(pool, BreakerState.Closed);
    }

    /// <summary>The state now (an open period that is over reads as half-open).</summary>
    public BreakerState State
    {
        get
        {
            lock (_gate)
            {
                Refresh();
                return _state;
            }
        }
    }

    /// <summary>How long the breaker stays open from now (zero when it is not open).</summary>
    public TimeSpan OpenFor
    {
        get
        {
            lock (_gate)
            {
                Refresh();
                return _state == BreakerState.Open ? _time.GetElapsedTime(_time.GetTimestamp(), _openUntil) : TimeSpan.Zero;
            }
        }
    }

    /// <summary>Asks to send a request; a probe permit carries the generation it belongs to.</summary>
    public BreakerPermit TryEnter(out int generation)
    {
        lock (_gate)
        {
            Refresh();
            generation = _generation;
            if (_state == BreakerState.Closed)
            {
                return BreakerPermit.Allowed;
            }

            if (_state == BreakerState.HalfOpen && _probesOut + _probeSuccesses < _options.HalfOpenProbes)
            {
                _probesOut++;
                return BreakerPermit.Probe;
            }

            return BreakerPermit.Refused;
        }
    }

    /// <summary>The outcome of a request that was not a probe: counts while closed.</summary>
    public void Record(bool success)
    {
        _metrics.BreakerOutcome(_pool, success);
        lock (_gate)
        {
            Refresh();
            if (_state != BreakerState.Closed)
            {
                return;
            }

            if (success)
            {
                _failures = 0;
            }
            else if (++_failures >= _options.Failures)
            {
                BreakerLog.Opened(_logger, _pool, _failures, _options.OpenSeconds);
                Open();
            }
        }
    }

    /// <summary>The outcome of a probe of <paramref name="generation"/>: closes the breaker after enough successes, opens it on a failure.</summary>
    public void RecordProbe(int generation, bool success)
    {
        _metrics.BreakerOutcome(_pool, success);
        lock (_gate)
        {
            Refresh();
            if (_state != BreakerState.HalfOpen || generation != _generation)
            {
                return;
            }

            _probesOut--;
            if (!success)
            {
                BreakerLog.Reopened(_logger, _pool, _options.OpenSeconds);
                Open();
            }
            else if (++_probeSuccesses >= _options.HalfOpenProbes)
            {
                BreakerLog.Closed(_logger, _pool, _probeSuccesses);
                Move(BreakerState.Closed);
                _failures = 0;
            }
        }
    }

    /// <summary>A probe of <paramref name="generation"/> ended without an outcome: its slot goes to the next request.</summary>
    public void ReleaseProbe(int generation)
    {
        lock (_gate)
        {
            Refresh();
            if (_state == BreakerState.HalfOpen && generation == _generation)
            {
                _probesOut--;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Open()
    {
        Move(BreakerState.Open);
        _generation++;
        _failures = 0;
        var openFor = TimeSpan.FromSeconds(_options.OpenSeconds);
        _openUntil = _time.GetTimestamp() + (long)(openFor.TotalSeconds * _time.TimestampFrequency);
        _timer?.Dispose();
        _timer = _time.CreateTimer(static s => ((PoolBreaker)s!).OnOpenPeriodOver(), this, openFor, Timeout.InfiniteTimeSpan);
    }

    private void OnOpenPeriodOver()
    {
        lock (_gate)
        {
            if (_state == BreakerState.Open)
            {
                HalfOpen();
            }
        }
    }

    /// <summary>Moves an open breaker whose period is over to half-open, should the timer not have fired yet.</summary>
    private void Refresh()
    {
        if (_state == BreakerState.Open && _time.GetTimestamp() >= _openUntil)
        {
            HalfOpen();
        }
    }

    private void HalfOpen()
    {
        _timer?.Dispose();
        _timer = null;
        _probesOut = 0;
        _probeSuccesses = 0;
        Move(BreakerState.HalfOpen);
        BreakerLog.HalfOpened(_logger, _pool, _options.HalfOpenProbes);
    }

    private void Move(BreakerState state)
    {
        _state = state;
        _metrics.BreakerState(_pool, state);
        _metrics.BreakerTransition(_pool, state);
    }
}
