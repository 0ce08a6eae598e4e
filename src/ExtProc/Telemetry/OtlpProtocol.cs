using System.ComponentModel;
using AiSidecar.Configuration;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>The OTLP transport (<c>telemetry.otlpProtocol</c>), spelled as OpenTelemetry's <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>.</summary>
[TypeConverter(typeof(ConfigEnumConverter<OtlpProtocol>))]
internal enum OtlpProtocol
{
    /// <summary>OTLP over gRPC.</summary>
    [ConfigName("grpc")]
    Grpc,

    /// <summary>OTLP over HTTP with protobuf bodies, each signal to its own path under the endpoint.</summary>
    [ConfigName("http/protobuf")]
    HttpProtobuf,
}
