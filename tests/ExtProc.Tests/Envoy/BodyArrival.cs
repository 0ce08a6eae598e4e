namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>When the downstream (or upstream) body reaches Envoy relative to the answer to the headers message.</summary>
public enum BodyArrival
{
    /// <summary>
    /// The body arrives after the server has answered the headers message, so STREAMED sends each chunk and
    /// BUFFERED_PARTIAL buffers up to the limit (a slow client, or a large body).
    /// </summary>
    AfterHeadersResponse,

    /// <summary>
    /// The whole body is already buffered when the headers answer arrives, so Envoy sends it as one body message in
    /// every mode but FULL_DUPLEX_STREAMED (SRC processor_state.cc, the <c>complete_body_available_</c> branch).
    /// </summary>
    WithHeaders,
}
