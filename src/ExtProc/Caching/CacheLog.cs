namespace AiSidecar.ExtProc.Caching;

internal static partial class CacheLog
{
    [LoggerMessage(EventId = 1, EventName = "CacheLookupFailed", Level = LogLevel.Debug, Message = "Cache lookup for model '{Model}' failed ({Reason}); the request goes on uncached.")]
    public static partial void LookupFailed(ILogger logger, string model, string reason);

    [LoggerMessage(EventId = 2, EventName = "CacheStoreFailed", Level = LogLevel.Debug, Message = "Storing a response of model '{Model}' in the cache failed ({Reason}).")]
    public static partial void StoreFailed(ILogger logger, string model, string reason);
}
