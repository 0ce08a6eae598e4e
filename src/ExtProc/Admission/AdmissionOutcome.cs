using AiSidecar.ExtProc.Admission.Priority;

namespace AiSidecar.ExtProc.Admission;

/// <summary>What admission decided for one request, and on what: the demand and each pool it looked at, in order.</summary>
/// <param name="Decision"><c>admitted</c>, <c>overflowed</c>, <c>shed</c> (429) or <c>unavailable</c> (503).</param>
/// <param name="Reason">The reason of the pool that decided (its verdict), or of the first pool when none could take it.</param>
/// <param name="Priority">The request's class.</param>
/// <param name="DemandTokens">Prompt tokens plus the output tokens it may generate.</param>
/// <param name="DemandBytes">The demand in KV-cache bytes; null when the model's <c>kvBytesPerToken</c> is unknown.</param>
/// <param name="Pools">The verdicts: the chosen pool first, then the overflow pools looked at.</param>
/// <param name="RetryAfter">The wait told to a shed request; null when admitted.</param>
internal sealed record AdmissionOutcome(
    string Decision,
    string Reason,
    RequestPriority Priority,
    long DemandTokens,
    long? DemandBytes,
    IReadOnlyList<PoolVerdict> Pools,
    TimeSpan? RetryAfter = null);
