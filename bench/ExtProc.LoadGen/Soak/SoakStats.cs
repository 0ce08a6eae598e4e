namespace AiSidecar.ExtProc.LoadGen.Soak;

/// <summary>Exchanges and their outcomes by traffic kind, shared by all workers.</summary>
internal sealed class SoakStats
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, long> _exchanges = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _total;
    private long _cancelled;

    public long Total => Interlocked.Read(ref _total);

    public long Cancelled => Interlocked.Read(ref _cancelled);

    public long Errors
    {
        get
        {
            lock (_gate)
            {
                return _errors.Values.Sum();
            }
        }
    }

    public void Record(string kind, bool cancelled, string? error)
    {
        Interlocked.Increment(ref _total);
        if (cancelled && error is null)
        {
            Interlocked.Increment(ref _cancelled);
        }

        lock (_gate)
        {
            _exchanges[kind] = _exchanges.GetValueOrDefault(kind) + 1;
            if (error is not null)
            {
                var key = $"{kind}:{error}";
                _errors[key] = _errors.GetValueOrDefault(key) + 1;
            }
        }
    }

    public IReadOnlyList<KeyValuePair<string, long>> Exchanges()
    {
        lock (_gate)
        {
            return [.. _exchanges];
        }
    }

    public IReadOnlyList<KeyValuePair<string, long>> ErrorKinds()
    {
        lock (_gate)
        {
            return [.. _errors];
        }
    }
}
