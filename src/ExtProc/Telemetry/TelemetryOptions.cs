namespace AiSidecar.ExtProc.Telemetry;

/// <summary>Options of the <c>telemetry</c> config section.</summary>
public sealed class TelemetryOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "telemetry";

    /// <summary>OTLP endpoint for traces (for example <c>http://otel-collector:4317</c>). Default: none, tracing off.</summary>
    public Uri? OtlpEndpoint { get; set; }
}
