namespace AiSidecar.Interop.Tests.WireCompatibility;

/// <summary>
/// What our protos (written from Envoy's January 2026 API) declare that the npm copy of Envoy's API lacks.
/// <para/>All are newer Envoy additions. When the npm package catches up, the test lists which ones to drop here.
/// </summary>
internal static class KnownAdditions
{
    public static readonly IReadOnlyList<string> All =
    [
        "field envoy.service.ext_proc.v3.ProcessingRequest.protocol_config = 11",
        "field envoy.service.ext_proc.v3.ProcessingResponse.streamed_immediate_response = 11",
        "field envoy.service.ext_proc.v3.ProcessingResponse.request_drain = 12",
        "field envoy.service.ext_proc.v3.HttpBody.end_of_stream_without_message = 3",
        "field envoy.service.ext_proc.v3.HttpBody.grpc_message_compressed = 4",
        "field envoy.service.ext_proc.v3.BodyMutation.streamed_response = 3",
        "enum value envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode.FULL_DUPLEX_STREAMED = 4",
        "enum value envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode.GRPC = 5",
        "message envoy.service.ext_proc.v3.ProtocolConfiguration",
        "message envoy.service.ext_proc.v3.StreamedBodyResponse",
        "message envoy.service.ext_proc.v3.StreamedImmediateResponse",
    ];
}
