using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Admission.Breaker;

/// <summary>
/// The circuit breaker of each pool (<c>admission.breaker</c>), fed by the responses of the requests routed to it
/// (5xx, resets, timeouts): after <see cref="Failures"/> failures in a row the pool gets no new requests for
/// <see cref="OpenSeconds"/>, then <see cref="HalfOpenProbes"/> requests probe it.
/// </summary>
internal sealed class BreakerOptions
{
    /// <summary>Failures in a row that open the breaker; 0 turns breakers off. Default 5.</summary>
    [Range(0, 1_000_000)]
    public int Failures { get; set; } = 5;

    /// <summary>Seconds an open breaker refuses new requests before it lets probes through. Default 30.</summary>
    [Range(1, 3600)]
    public int OpenSeconds { get; set; } = 30;

    /// <summary>Requests let through while half-open; all must succeed to close it, one failure opens it again. Default 3.</summary>
    [Range(1, 1000)]
    public int HalfOpenProbes { get; set; } = 3;
}
