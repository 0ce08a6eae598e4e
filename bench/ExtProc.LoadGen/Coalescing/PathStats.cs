namespace AiSidecar.ExtProc.LoadGen.Coalescing;

/// <summary>What one client measured on one path; merged at the end of a phase.</summary>
internal sealed class PathStats
{
    /// <summary>From the first message to the answer the client gets (the local reply, or the engine's answer after response headers).</summary>
    public LatencyHistogram Total { get; } = new();

    /// <summary>From the first message to the server's request_body reply: the server's part (for a coalesced request, the hold and the batch call).</summary>
    public LatencyHistogram RequestSide { get; } = new();

    /// <summary>Requests answered without error while measuring.</summary>
    public long Completed { get; private set; }

    /// <summary>Of those, answered by the server itself (coalesced).</summary>
    public long Local { get; private set; }

    /// <summary>Of those, continued by the server and answered by the engine.</summary>
    public long Forwarded { get; private set; }

    /// <summary>Requests answered without error since the start, warm-up included.</summary>
    public long CompletedTotal { get; private set; }

    public long Errors { get; private set; }

    public SortedDictionary<string, long> ErrorKinds { get; } = new(StringComparer.Ordinal);

    public void Done(string? error, bool local, bool record, long started, long requestSide, long done)
    {
        if (error is not null)
        {
            AddError(error);
            return;
        }

        CompletedTotal++;
        if (!record)
        {
            return;
        }

        Total.RecordTicks(done - started);
        RequestSide.RecordTicks(requestSide - started);
        Completed++;
        if (local)
        {
            Local++;
        }
        else
        {
            Forwarded++;
        }
    }

    public void AddError(string kind)
    {
        Errors++;
        ErrorKinds[kind] = ErrorKinds.GetValueOrDefault(kind) + 1;
    }

    public void Add(PathStats other)
    {
        Total.Add(other.Total);
        RequestSide.Add(other.RequestSide);
        Completed += other.Completed;
        Local += other.Local;
        Forwarded += other.Forwarded;
        CompletedTotal += other.CompletedTotal;
        Errors += other.Errors;
        foreach (var (kind, count) in other.ErrorKinds)
        {
            ErrorKinds[kind] = ErrorKinds.GetValueOrDefault(kind) + count;
        }
    }
}
