namespace AiSidecar.ExtProc.Responses;

internal static partial class ResponsesLog
{
    [LoggerMessage(1, LogLevel.Information,
        "Prompt count differs for model {Model} ({Api}): the model server counted {EngineTokens}, the server {CountedTokens} (difference {Difference}).",
        EventName = "CountDiffers")]
    public static partial void CountDiffers(ILogger logger, string model, string api, long engineTokens, long countedTokens, long difference);
}
