namespace AiSidecar.ExtProc.Coalescing;

/// <summary>Sends one batch to a pool's upstream (<see cref="UpstreamCaller"/>; tests script it).</summary>
internal interface IUpstreamCaller
{
    /// <summary>True while the upstream's circuit breaker is open: its requests pass through uncoalesced.</summary>
    bool IsOpen(string pool, PoolUpstreamOptions upstream);

    /// <summary>POSTs <paramref name="body"/> to the upstream's <paramref name="path"/>; never throws for the upstream's failures.</summary>
    Task<UpstreamReply> CallAsync(string pool, PoolUpstreamOptions upstream, string path, byte[] body, TimeSpan timeout);
}

/// <summary>How a batch call ended.</summary>
internal enum UpstreamResult
{
    /// <summary>A 2xx answer: <see cref="UpstreamReply.Body"/> holds it.</summary>
    Ok,

    /// <summary>An answer with another status: <see cref="UpstreamReply.Status"/>.</summary>
    HttpError,

    /// <summary>No answer within the call's time.</summary>
    Timeout,

    /// <summary>No connection, a reset, or an answer too large to read.</summary>
    Unreachable,

    /// <summary>Not sent: the breaker is open.</summary>
    BreakerOpen,
}

/// <summary>The answer to one batch call.</summary>
internal sealed record UpstreamReply(UpstreamResult Result, int Status = 0, byte[]? Body = null)
{
    /// <summary>The metric label of the result.</summary>
    public string Label => Result switch
    {
        UpstreamResult.Ok => "ok",
        UpstreamResult.HttpError => "http_error",
        UpstreamResult.Timeout => "timeout",
        UpstreamResult.Unreachable => "unreachable",
        _ => "breaker_open",
    };
}
