namespace AiSidecar.ExtProc.Pipeline;

/// <summary>How a response stage wants the response body: not at all, chunk by chunk, or whole.</summary>
internal enum ResponseBodyMode
{
    /// <summary>No body (the default).</summary>
    None,

    /// <summary>Each chunk as it passes (Envoy's STREAMED): nothing is held, memory stays bounded.</summary>
    Streamed,

    /// <summary>The whole body in one message (Envoy's BUFFERED): bounded by Envoy's buffer limit, over it Envoy answers 500.</summary>
    Buffered,
}
