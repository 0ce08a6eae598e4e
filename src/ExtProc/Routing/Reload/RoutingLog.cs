namespace AiSidecar.ExtProc.Routing.Reload;

/// <summary>Routing config reload log messages; never any request content.</summary>
internal static partial class RoutingLog
{
    [LoggerMessage(EventId = 1, EventName = "RoutingConfigReloaded", Level = LogLevel.Information, Message = "Routing config {Path} reloaded: generation {Generation} in use.")]
    public static partial void Reloaded(ILogger logger, string path, int generation);

    [LoggerMessage(EventId = 2, EventName = "RoutingConfigRejected", Level = LogLevel.Error, Message = "Routing config {Path} changed but is invalid, generation {Generation} stays in use. {Count} error(s): {Errors}")]
    public static partial void Rejected(ILogger logger, string path, int generation, int count, string errors);

    [LoggerMessage(EventId = 3, EventName = "RoutingConfigUnreadable", Level = LogLevel.Warning, Message = "Routing config {Path} could not be read, generation {Generation} stays in use: {Reason}")]
    public static partial void Unreadable(ILogger logger, string path, int generation, string reason);

    [LoggerMessage(EventId = 4, EventName = "RoutingConfigCheckFailed", Level = LogLevel.Error, Message = "Checking routing config {Path} failed unexpectedly.")]
    public static partial void CheckFailed(ILogger logger, Exception exception, string path);
}
