namespace AiSidecar.ExtProc.Pipeline;

/// <summary>Log messages of the exchange pipeline; never any request content.</summary>
internal static partial class PipelineLog
{
    [LoggerMessage(1, LogLevel.Warning, "Releasing a {Kind} lease failed; it is counted released.", EventName = "LeaseReleaseFailed")]
    public static partial void LeaseReleaseFailed(ILogger logger, Exception exception, string kind);

    [LoggerMessage(2, LogLevel.Warning, "Stage {Stage} held the request past its deadline; answering {Status}.", EventName = "StageDeadlineExceeded")]
    public static partial void StageDeadlineExceeded(ILogger logger, string stage, int status);
}
