namespace AiSidecar.ExtProc.Coalescing;

internal static partial class CoalescingLog
{
    [LoggerMessage(1, LogLevel.Error, "A batch for pool {Pool} failed inside the server; its members got an internal error.", EventName = "BatchFailed")]
    public static partial void BatchFailed(ILogger logger, string pool, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "The answer of pool {Pool} to a batch on {Path} does not fit its members ({Problem}); they got an error.", EventName = "AnswerUnfit")]
    public static partial void AnswerUnfit(ILogger logger, string pool, string path, string problem);

    [LoggerMessage(3, LogLevel.Warning, "The upstream bearer token file {File} cannot be read ({Problem}); batches go without a token.", EventName = "TokenUnreadable")]
    public static partial void TokenUnreadable(ILogger logger, string file, string problem);
}
