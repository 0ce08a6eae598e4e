using System.Collections.Concurrent;

namespace AiSidecar.ExtProc.Admission;

/// <summary>
/// How long the requests admitted to each pool last, from admission to the end of their exchange (the end of the
/// response): an exponential moving average per pool, from which a saturated pool's drain time, and so the
/// <c>retry-after</c> of a shed request, is estimated.
/// </summary>
internal sealed class PoolDurations(TimeProvider time)
{
    /// <summary>The mean assumed before a pool has finished any request.</summary>
    public static readonly TimeSpan Unknown = TimeSpan.FromSeconds(1);

    /// <summary>Weight of the newest request in the average.</summary>
    private const double Alpha = 0.05;

    private readonly ConcurrentDictionary<string, Mean> _pools = new(StringComparer.Ordinal);

    /// <summary>The pool's mean request duration (<see cref="Unknown"/> before the first).</summary>
    public TimeSpan MeanOf(string pool) => _pools.TryGetValue(pool, out var mean) ? mean.Value : Unknown;

    /// <summary>A lease for an admitted request: when the exchange ends, its duration enters the pool's mean.</summary>
    public IAsyncDisposable Start(string pool) => new Timing(this, pool, time.GetTimestamp());

    internal void Record(string pool, TimeSpan duration) => _pools.GetOrAdd(pool, static _ => new Mean()).Add(duration);

    private sealed class Mean
    {
        private readonly Lock _gate = new();
        private double _seconds = -1;

        public TimeSpan Value
        {
            get
            {
                lock (_gate)
                {
                    return _seconds < 0 ? Unknown : TimeSpan.FromSeconds(_seconds);
                }
            }
        }

        public void Add(TimeSpan duration)
        {
            lock (_gate)
            {
                _seconds = _seconds < 0 ? duration.TotalSeconds : _seconds + (Alpha * (duration.TotalSeconds - _seconds));
            }
        }
    }

    private sealed class Timing(PoolDurations durations, string pool, long started) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            durations.Record(pool, durations.ElapsedSince(started));
            return ValueTask.CompletedTask;
        }
    }

    private TimeSpan ElapsedSince(long started) => time.GetElapsedTime(started);
}
