namespace AiSidecar.ExtProc.Admission;

/// <summary>Whether a pool can take a request now.</summary>
internal enum PoolFit
{
    /// <summary>It can: below every limit with the request's demand added (or not monitored, or stale and fail-open).</summary>
    Headroom,

    /// <summary>It is at a limit (queue, KV cache), or its telemetry is stale and it fails closed.</summary>
    Saturated,

    /// <summary>Nothing in it can serve: every GPU unhealthy, every endpoint down, or its breaker open.</summary>
    Unavailable,
}

/// <summary>One pool's assessment for one request, with the figures it rests on (for the reply, metrics and <c>route</c>).</summary>
/// <param name="Pool">The pool.</param>
/// <param name="Fit">The verdict.</param>
/// <param name="Reason">Why: <c>headroom</c>, <c>unmonitored</c>, <c>queue</c>, <c>kv_cache</c>, <c>stale_telemetry</c>, <c>gpu_unhealthy</c>, <c>endpoints_down</c>, <c>breaker_open</c>.</param>
/// <param name="Load">The larger of queue and KV-cache load against their limits (1 = at the limit); null when unknown.</param>
/// <param name="LiveEndpoints">Endpoints with a fresh, successful scrape.</param>
/// <param name="WaitingPerEndpoint">Average waiting requests over the live endpoints.</param>
/// <param name="RunningPerEndpoint">Average running requests over the live endpoints.</param>
/// <param name="KvUsage">Average KV-cache use over the live endpoints (0 to 1).</param>
/// <param name="KvUsageWithDemand">That use with the request's demand added, where the capacity is known.</param>
/// <param name="HealthyGpus">Healthy GPUs of the pool; null when its GPUs are not watched.</param>
/// <param name="Gpus">GPUs of the pool; null when not watched.</param>
/// <param name="TelemetryAge">Age of the oldest sample the verdict used; null when none.</param>
internal sealed record PoolVerdict(
    string Pool,
    PoolFit Fit,
    string Reason,
    double? Load = null,
    int LiveEndpoints = 0,
    double? WaitingPerEndpoint = null,
    double? RunningPerEndpoint = null,
    double? KvUsage = null,
    double? KvUsageWithDemand = null,
    int? HealthyGpus = null,
    int? Gpus = null,
    TimeSpan? TelemetryAge = null)
{
    public bool HasHeadroom => Fit == PoolFit.Headroom;
}
