namespace AiSidecar.ExtProc.LoadGen;

/// <summary>What one worker measured; merged at the end of the run.</summary>
internal sealed class WorkerStats
{
    /// <summary>First write to third reply (request headers, request body, response headers), from the actual start.</summary>
    public LatencyHistogram Exchange { get; } = new();

    /// <summary>From the paced start time (open loop with <c>--rate</c>): includes time queued behind a slow server.</summary>
    public LatencyHistogram FromSchedule { get; } = new();

    /// <summary>Request body written to its reply received: the message that carries the inspect→count→decide work.</summary>
    public LatencyHistogram Body { get; } = new();

    public long Completed { get; set; }

    public long Errors { get; set; }

    public long Routed { get; set; }

    public Dictionary<string, long> ErrorKinds { get; } = new(StringComparer.Ordinal);

    public void AddError(string kind)
    {
        Errors++;
        ErrorKinds[kind] = ErrorKinds.GetValueOrDefault(kind) + 1;
    }

    public void Add(WorkerStats other)
    {
        Exchange.Add(other.Exchange);
        FromSchedule.Add(other.FromSchedule);
        Body.Add(other.Body);
        Completed += other.Completed;
        Errors += other.Errors;
        Routed += other.Routed;
        foreach (var (kind, count) in other.ErrorKinds)
        {
            ErrorKinds[kind] = ErrorKinds.GetValueOrDefault(kind) + count;
        }
    }
}
