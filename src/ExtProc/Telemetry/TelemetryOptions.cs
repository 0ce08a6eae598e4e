using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>Options of the <c>telemetry</c> section.</summary>
internal sealed class TelemetryOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "telemetry";

    /// <summary>
    /// OTLP endpoint for traces and metrics (for example <c>http://otel-collector:4317</c>); with
    /// <c>http/protobuf</c>, the base the signals' paths (<c>/v1/traces</c>, <c>/v1/metrics</c>) are added to.
    /// Default: none, OTLP export (and tracing) off.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The OTLP transport: <c>grpc</c> (default, port 4317) or <c>http/protobuf</c> (port 4318).</summary>
    public OtlpProtocol OtlpProtocol { get; set; } = OtlpProtocol.Grpc;

    /// <summary>
    /// The share of exchanges traced when the client's request carries no trace context (a valid incoming
    /// <c>traceparent</c>'s sampled flag decides for its own): 0 to 1. Default 1, every exchange.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SamplingRatio { get; set; } = 1.0;

    /// <summary>
    /// Put the request body (what the client sent: prompts included) on the exchange span, at most
    /// <see cref="ContentTraceStage.MaxRecordedBytes"/> of it. Default false: spans carry counts and decisions only,
    /// never request or response text.
    /// </summary>
    public bool RecordContent { get; set; }
}
