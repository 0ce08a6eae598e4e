namespace AiSidecar.ExtProc.Protocol;

/// <summary>Log messages of the protocol layer. None carries request content.</summary>
internal static partial class ProtocolLog
{
    [LoggerMessage(1, LogLevel.Debug, "Request answered locally: {Kind} ({Status}).", EventName = "RequestAnswered")]
    public static partial void Answered(ILogger logger, string kind, int status);

    /// <summary>A reset or cancellation: routine (Envoy resets streams it is done with), so Debug and without the exception.</summary>
    [LoggerMessage(2, LogLevel.Debug, "Stream ended by the peer: {Reason}.", EventName = "StreamEnded")]
    public static partial void StreamEnded(ILogger logger, string reason);

    [LoggerMessage(3, LogLevel.Error, "Processing a {Message} message failed; answering with an error.", EventName = "ProcessingFailed")]
    public static partial void ProcessingFailed(ILogger logger, Exception exception, string message);

    [LoggerMessage(4, LogLevel.Debug, "Stream ended with a gRPC error: {Detail}", EventName = "InvalidMessage")]
    public static partial void InvalidMessage(ILogger logger, string detail);

    [LoggerMessage(7, LogLevel.Warning, "Memory ran out handling a {Message} message; answered 503 (see the memory section of the config).", EventName = "OutOfMemory")]
    public static partial void OutOfMemory(ILogger logger, string message);

    [LoggerMessage(6, LogLevel.Debug, "A request body arrives in chunks although the mode is BUFFERED: observed as STREAMED (check processing.assumedRequestBodyMode against the filter's mode).", EventName = "ChunkedBodyInBufferedMode")]
    public static partial void ChunkedBodyInBufferedMode(ILogger logger);

    [LoggerMessage(5, LogLevel.Debug, "Stream cancelled: no message for {Seconds} s.", EventName = "StreamIdle")]
    public static partial void StreamIdle(ILogger logger, double seconds);
}
