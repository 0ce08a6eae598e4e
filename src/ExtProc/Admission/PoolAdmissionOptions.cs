using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Admission;

/// <summary>A pool's admission limits (<c>catalogue.pools[].admission</c>): when it counts as saturated.</summary>
internal sealed class PoolAdmissionOptions
{
    /// <summary>What stale or missing telemetry means for the pool. Default <see cref="StaleTelemetryPolicy.Saturated"/> (fail-closed).</summary>
    public StaleTelemetryPolicy StaleTelemetry { get; set; } = StaleTelemetryPolicy.Saturated;

    /// <summary>Requests waiting per endpoint (averaged over the pool's live endpoints) at which the pool is saturated; at least 0.1. Default 5.</summary>
    [Range(0.1, 1_000_000)]
    public double MaxWaitingPerEndpoint { get; set; } = 5;

    /// <summary>KV-cache use (0 to 1) the pool may reach with the request's demand added. Default 0.8.</summary>
    [Range(0.01, 1.0)]
    public double MaxKvUsage { get; set; } = 0.8;

    /// <summary>
    /// KV-cache capacity of one endpoint in tokens, when its engine does not report it (vLLM and SGLang do). 0
    /// (default): unknown, so the request's demand is checked only against the usage fraction.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long KvCacheTokens { get; set; }
}
