namespace AiSidecar.ExtProc.Protocol;

/// <summary>Log messages of the protocol layer. None carries request content.</summary>
internal static partial class ProtocolLog
{
    [LoggerMessage(1, LogLevel.Debug, "Request answered locally: {Kind} ({Status}).", EventName = "RequestAnswered")]
    public static partial void Answered(ILogger logger, string kind, int status);

    [LoggerMessage(2, LogLevel.Debug, "Stream ended by the peer: {Reason}.", EventName = "StreamEnded")]
    public static partial void StreamEnded(ILogger logger, string reason);

    [LoggerMessage(3, LogLevel.Error, "Processing a {Message} message failed; answering 500.", EventName = "ProcessingFailed")]
    public static partial void ProcessingFailed(ILogger logger, Exception exception, string message);
}
