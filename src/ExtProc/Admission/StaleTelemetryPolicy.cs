namespace AiSidecar.ExtProc.Admission;

/// <summary>What a pool's stale or missing telemetry means for admission.</summary>
internal enum StaleTelemetryPolicy
{
    /// <summary>Fail-closed: the pool counts as saturated (overflow, then shed).</summary>
    Saturated,

    /// <summary>Fail-open: the pool counts as healthy and admits.</summary>
    Healthy,
}
