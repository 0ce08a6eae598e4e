namespace AiSidecar.ExtProc.Routing.Registry;

/// <summary>
/// Health-check settings of a version's backends, validated and shown by the <c>route</c> command; the data plane
/// (Istio outlier detection, Kubernetes probes) applies them.
/// </summary>
public sealed class HealthCheckOptions
{
    /// <summary>HTTP path probed on the backend. Default <c>/health</c>.</summary>
    public string Path { get; set; } = "/health";

    /// <summary>Seconds between probes. Default 10.</summary>
    public int IntervalSeconds { get; set; } = 10;

    /// <summary>Seconds a probe may take. Default 2.</summary>
    public int TimeoutSeconds { get; set; } = 2;

    /// <summary>Failed probes in a row that mark a backend unhealthy. Default 3.</summary>
    public int UnhealthyThreshold { get; set; } = 3;
}
