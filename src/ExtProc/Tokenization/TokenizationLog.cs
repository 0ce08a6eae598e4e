namespace AiSidecar.ExtProc.Tokenization;

/// <summary>Tokenization log messages; never any prompt text.</summary>
internal static partial class TokenizationLog
{
    [LoggerMessage(EventId = 1, EventName = "TokenizerLoaded", Level = LogLevel.Information, Message = "Tokenizer {Tokenizer} loaded in {ElapsedMs} ms.")]
    public static partial void TokenizerLoaded(ILogger logger, string tokenizer, long elapsedMs);

    [LoggerMessage(EventId = 2, EventName = "TokenizerLoadFailed", Level = LogLevel.Error, Message = "Tokenizer {Tokenizer} failed to load, models mapped to it use the fallback {Fallback}: {Reason}")]
    public static partial void TokenizerLoadFailed(ILogger logger, string tokenizer, string fallback, string reason);

    [LoggerMessage(EventId = 3, EventName = "TokenizerReloaded", Level = LogLevel.Information, Message = "Tokenizer {Tokenizer} reloaded after its file changed.")]
    public static partial void TokenizerReloaded(ILogger logger, string tokenizer);

    [LoggerMessage(EventId = 4, EventName = "TokenizerReloadFailed", Level = LogLevel.Error, Message = "Tokenizer {Tokenizer} changed but failed to reload, the previous version stays in use: {Reason}")]
    public static partial void TokenizerReloadFailed(ILogger logger, string tokenizer, string reason);

    [LoggerMessage(EventId = 5, EventName = "TemplateTokensMissing", Level = LogLevel.Error, Message = "Tokenizer {Tokenizer} lacks the special tokens of chat template {Template}, models mapped to it use the fallback {Fallback}.")]
    public static partial void TemplateTokensMissing(ILogger logger, string tokenizer, string template, string fallback);
}
