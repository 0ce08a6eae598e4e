namespace AiSidecar.ExtProc.Telemetry;

/// <summary>Telemetry log messages.</summary>
internal static partial class TelemetryLog
{
    [LoggerMessage(EventId = 1, EventName = "InstrumentExported", Level = LogLevel.Debug, Message = "Instrument {Instrument} is exported as the Prometheus {Type} {Name}.")]
    public static partial void InstrumentExported(ILogger logger, string instrument, string type, string name);

    [LoggerMessage(EventId = 2, EventName = "InstrumentNotSupported", Level = LogLevel.Warning, Message = "Instrument {Instrument} of type {Type} has no Prometheus equivalent and is not exported.")]
    public static partial void InstrumentNotSupported(ILogger logger, string instrument, string type);

    [LoggerMessage(EventId = 3, EventName = "CollectorFailed", Level = LogLevel.Error, Message = "Instrument {Instrument} cannot be exported as {Name}; its measurements are dropped.")]
    public static partial void CollectorFailed(ILogger logger, Exception exception, string instrument, string name);

    [LoggerMessage(EventId = 4, EventName = "MeasurementDropped", Level = LogLevel.Warning, Message = "A measurement of {Instrument} with tags {Tags} was dropped: its series are labelled {LabelNames}. Further drops are only counted.")]
    public static partial void MeasurementDropped(ILogger logger, string instrument, string tags, string labelNames);

    [LoggerMessage(EventId = 5, EventName = "MeasurementFailed", Level = LogLevel.Warning, Message = "A measurement of {Instrument} was dropped. Further drops are only counted.")]
    public static partial void MeasurementFailed(ILogger logger, Exception exception, string instrument);

    [LoggerMessage(EventId = 6, EventName = "ObservationFailed", Level = LogLevel.Warning, Message = "An observable instrument of meter {Meter} failed; the scrape goes on without its values.")]
    public static partial void ObservationFailed(ILogger logger, Exception exception, string meter);
}
