namespace AiSidecar.ExtProc.Telemetry;

/// <summary>Options of the <c>telemetry</c> section.</summary>
internal sealed class TelemetryOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "telemetry";

    /// <summary>OTLP endpoint for traces and metrics (for example <c>http://otel-collector:4317</c>). Default: none, OTLP export off.</summary>
    public Uri? OtlpEndpoint { get; set; }
}
