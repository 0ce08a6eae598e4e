namespace AiSidecar.ExtProc.Admission;

/// <summary>Log messages of admission: transitions only, never one per request.</summary>
internal static partial class AdmissionLog
{
    [LoggerMessage(1, LogLevel.Warning, "Telemetry of pool {Pool} is stale (no fresh GPU update or scrape): the pool now counts as {Fit}.", EventName = "TelemetryStale")]
    public static partial void TelemetryStale(ILogger logger, string pool, string fit);

    [LoggerMessage(2, LogLevel.Information, "Telemetry of pool {Pool} is fresh again.", EventName = "TelemetryFresh")]
    public static partial void TelemetryFresh(ILogger logger, string pool);
}
