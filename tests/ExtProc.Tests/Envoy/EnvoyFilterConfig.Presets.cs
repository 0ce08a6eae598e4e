namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

public sealed partial record EnvoyFilterConfig
{
    /// <summary>Request body BUFFERED, response headers only: the usual AI-gateway shape.</summary>
    public static EnvoyFilterConfig Buffered { get; } = new() { RequestBodyMode = BodySendMode.Buffered };

    public static EnvoyFilterConfig Streamed { get; } = new() { RequestBodyMode = BodySendMode.Streamed };

    public static EnvoyFilterConfig BufferedPartial { get; } = new() { RequestBodyMode = BodySendMode.BufferedPartial };

    /// <summary>FULL_DUPLEX_STREAMED needs trailer mode SEND, or Envoy rejects the config.</summary>
    public static EnvoyFilterConfig FullDuplex { get; } = new()
    {
        RequestBodyMode = BodySendMode.FullDuplexStreamed,
        RequestTrailerMode = HeaderSendMode.Send,
    };

    /// <summary>Throws where Envoy would reject the filter configuration (SRC config.cc).</summary>
    public void Validate()
    {
        if (RequestBodyMode == BodySendMode.FullDuplexStreamed && RequestTrailerMode != HeaderSendMode.Send)
        {
            throw new ArgumentException("FULL_DUPLEX_STREAMED request body mode requires request_trailer_mode SEND.");
        }

        if (ResponseBodyMode == BodySendMode.FullDuplexStreamed && ResponseTrailerMode != HeaderSendMode.Send)
        {
            throw new ArgumentException("FULL_DUPLEX_STREAMED response body mode requires response_trailer_mode SEND.");
        }

        if (RequestBodyMode == BodySendMode.Grpc || ResponseBodyMode == BodySendMode.Grpc)
        {
            throw new ArgumentException("GRPC body mode is not modelled.");
        }
    }
}
