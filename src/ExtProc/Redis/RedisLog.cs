namespace AiSidecar.ExtProc.Redis;

internal static partial class RedisLog
{
    [LoggerMessage(1, LogLevel.Warning, "Redis at {Endpoints} is not reachable ({Problem}); the server keeps trying in the background.", EventName = "ConnectFailed")]
    public static partial void ConnectFailed(ILogger logger, string endpoints, string problem);

    [LoggerMessage(2, LogLevel.Warning, "The Redis password file {File} cannot be read ({Problem}); connecting without a password.", EventName = "PasswordUnreadable")]
    public static partial void PasswordUnreadable(ILogger logger, string file, string problem);

    [LoggerMessage(3, LogLevel.Information, "Redis connection to {Endpoint} {State}.", EventName = "ConnectionChanged")]
    public static partial void ConnectionChanged(ILogger logger, string endpoint, string state);
}
