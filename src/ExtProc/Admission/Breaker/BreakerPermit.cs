namespace AiSidecar.ExtProc.Admission.Breaker;

/// <summary>What a pool's circuit breaker says to a new request (<see cref="PoolBreakers.TryEnter"/>).</summary>
internal enum BreakerPermit
{
    /// <summary>Closed (or breakers off): the request may go.</summary>
    Allowed,

    /// <summary>Half-open: the request may go as one of the probes whose outcomes decide whether the breaker closes.</summary>
    Probe,

    /// <summary>Open, or half-open with every probe out: the pool takes no new request.</summary>
    Refused,
}
