namespace AiSidecar.ExtProc.Configuration;

/// <summary>Config reload log messages; never any request content.</summary>
internal static partial class ConfigLog
{
    [LoggerMessage(EventId = 1, EventName = "ConfigReloaded", Level = LogLevel.Information, Message = "Config {Path} reloaded: generation {Generation} in use.")]
    public static partial void Reloaded(ILogger logger, string path, int generation);

    [LoggerMessage(EventId = 2, EventName = "ConfigRejected", Level = LogLevel.Error, Message = "Config {Path} changed but is invalid, generation {Generation} stays in use. {Count} error(s): {Errors}")]
    public static partial void Rejected(ILogger logger, string path, int generation, int count, string errors);

    [LoggerMessage(EventId = 3, EventName = "ConfigUnreadable", Level = LogLevel.Warning, Message = "Config {Path} could not be read, generation {Generation} stays in use: {Reason}")]
    public static partial void Unreadable(ILogger logger, string path, int generation, string reason);

    [LoggerMessage(EventId = 4, EventName = "ConfigCheckFailed", Level = LogLevel.Error, Message = "Checking config {Path} for changes failed unexpectedly.")]
    public static partial void CheckFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 5, EventName = "ConfigNeedsRestart", Level = LogLevel.Warning, Message = "Config {Path}: the {Section} section changed; it is read at start only, so the change applies after a restart.")]
    public static partial void NeedsRestart(ILogger logger, string path, string section);
}
