namespace AiSidecar.ExtProc.Admission.Engines;

/// <summary>Log messages of engine scraping: one per endpoint transition, never one per scrape.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(1, LogLevel.Warning, "Engine endpoint {Endpoint} of pool {Pool} is down: {Error}", EventName = "EngineEndpointDown")]
    public static partial void EndpointDown(ILogger logger, string pool, string endpoint, string error);

    [LoggerMessage(2, LogLevel.Information, "Engine endpoint {Endpoint} of pool {Pool} is up again.", EventName = "EngineEndpointUp")]
    public static partial void EndpointUp(ILogger logger, string pool, string endpoint);

    [LoggerMessage(3, LogLevel.Warning, "Resolving engine service {Service} failed; its last known endpoints stay: {Error}", EventName = "EngineServiceUnresolved")]
    public static partial void ServiceUnresolved(ILogger logger, string service, string error);
}
