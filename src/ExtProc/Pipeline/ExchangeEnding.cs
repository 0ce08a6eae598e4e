namespace AiSidecar.ExtProc.Pipeline;

/// <summary>How an exchange ended.</summary>
internal enum ExchangeEnding
{
    /// <summary>Envoy finished the stream with every message answered (closed or reset after the exchange).</summary>
    Completed,

    /// <summary>The server answered locally (an error or a local response); Envoy sends nothing more.</summary>
    Answered,

    /// <summary>Envoy reset or cancelled the stream while a message was being handled (its timeout, the client went away).</summary>
    Reset,

    /// <summary>The server shut down before the exchange finished.</summary>
    Shutdown,

    /// <summary>No message arrived within <c>processing.streamIdleTimeoutSeconds</c>: the server cancelled the stream.</summary>
    Idle,

    /// <summary>The server ended the stream with a gRPC error: a message no Envoy sends, or one over the receive limit it could not answer.</summary>
    Failed,
}
