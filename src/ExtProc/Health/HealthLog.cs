namespace AiSidecar.ExtProc.Health;

/// <summary>Log messages of readiness and the drain.</summary>
internal static partial class HealthLog
{
    [LoggerMessage(1, LogLevel.Information, "Draining: not ready; {Streams} open streams may finish (after a {DelaySeconds} s delay) before the listeners close.", EventName = "Draining")]
    public static partial void Draining(ILogger logger, int streams, double delaySeconds);

    [LoggerMessage(2, LogLevel.Information, "Drained: no stream is open.", EventName = "Drained")]
    public static partial void Drained(ILogger logger);

    [LoggerMessage(3, LogLevel.Warning, "The shutdown timeout ended the drain with {Streams} streams open; they are cut.", EventName = "DrainTimedOut")]
    public static partial void DrainTimedOut(ILogger logger, int streams);
}
