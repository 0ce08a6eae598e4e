namespace AiSidecar.ExtProc.Admission.Breaker;

/// <summary>Log messages of the pool circuit breakers: one line per state change.</summary>
internal static partial class BreakerLog
{
    [LoggerMessage(1, LogLevel.Warning, "Pool {Pool} circuit breaker opened after {Failures} failures in a row; no new requests for {OpenSeconds} s.", EventName = "BreakerOpened")]
    public static partial void Opened(ILogger logger, string pool, int failures, int openSeconds);

    [LoggerMessage(2, LogLevel.Warning, "Pool {Pool} circuit breaker opened again: a half-open probe failed; no new requests for {OpenSeconds} s.", EventName = "BreakerReopened")]
    public static partial void Reopened(ILogger logger, string pool, int openSeconds);

    [LoggerMessage(3, LogLevel.Information, "Pool {Pool} circuit breaker half-open: up to {Probes} probe requests let through.", EventName = "BreakerHalfOpen")]
    public static partial void HalfOpened(ILogger logger, string pool, int probes);

    [LoggerMessage(4, LogLevel.Information, "Pool {Pool} circuit breaker closed: {Probes} probes succeeded.", EventName = "BreakerClosed")]
    public static partial void Closed(ILogger logger, string pool, int probes);
}
