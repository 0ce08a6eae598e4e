namespace AiSidecar.ExtProc.Admission.Breaker;

/// <summary>A pool circuit breaker's state; the value is what <c>extproc_breaker_state</c> reports.</summary>
internal enum BreakerState
{
    /// <summary>Requests flow; failures in a row are counted.</summary>
    Closed = 0,

    /// <summary>The open period is over: a few probes are let through.</summary>
    HalfOpen = 1,

    /// <summary>The pool takes no new request until the open period ends.</summary>
    Open = 2,
}
