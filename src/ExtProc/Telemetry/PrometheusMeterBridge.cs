using System.Diagnostics.Metrics;
using System.Numerics;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>
/// Exports the <c>System.Diagnostics.Metrics</c> instruments of one meter name to a prometheus-net
/// <see cref="CollectorRegistry"/>, under their OpenTelemetry-compatible Prometheus names and types.
/// </summary>
/// <remarks>
/// <c>Counter</c> and <c>ObservableCounter</c> become counters, <c>UpDownCounter</c>, <c>Gauge</c>,
/// <c>ObservableGauge</c> and <c>ObservableUpDownCounter</c> gauges, <c>Histogram</c> a histogram with the
/// instrument's bucket advice; observable instruments are read on every scrape. The tag keys are the label names: those
/// declared for the instrument, else those of its first measurement (whose family appears only then). A measurement
/// whose keys differ is dropped and counted in <see cref="DroppedMeasurements"/>; nothing is thrown into the caller.
/// <para/>
/// Unlike prometheus-net's <c>MeterAdapter</c>: counters stay counters (not gauges), names carry no meter prefix, and
/// series never expire, so a measurement takes no lease; one whose tags come in the label order costs one child lookup
/// and allocates nothing.
/// </remarks>
internal sealed partial class PrometheusMeterBridge : IDisposable
{
    /// <summary>Labels held on the stack; an instrument with more allocates per measurement.</summary>
    private const int InlineLabels = 8;

    private readonly MeterListener _listener;
    private readonly IMetricFactory _factory;
    private readonly IMeterFactory? _meterFactory;
    private readonly IReadOnlyDictionary<string, string[]> _labelNames;
    private readonly ILogger _logger;
    private long _dropped;
    private volatile bool _disposed;

    /// <summary>Starts listening to the instruments of meter <paramref name="meterName"/>, published now or later.</summary>
    /// <param name="registry">Where the collectors are created.</param>
    /// <param name="meterName">The meter whose instruments are exported; no other meter is listened to.</param>
    /// <param name="meterFactory">When given, only meters created by this factory (two hosts in one process stay apart).</param>
    /// <param name="labelNames">
    /// Tag keys by instrument name, in label order: these instruments' families are exported from the start, as
    /// prometheus-net's own collectors are, and a first measurement with wrong keys cannot define them.
    /// </param>
    /// <param name="logger">Logs the exported instruments, and the first dropped measurement of each.</param>
    public PrometheusMeterBridge(CollectorRegistry registry, string meterName, IMeterFactory? meterFactory = null,
        IReadOnlyDictionary<string, string[]>? labelNames = null, ILogger<PrometheusMeterBridge>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrEmpty(meterName);
        MeterName = meterName;
        _factory = Metrics.WithCustomRegistry(registry);
        _meterFactory = meterFactory;
        _labelNames = labelNames ?? new Dictionary<string, string[]>();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _listener = new MeterListener { InstrumentPublished = OnInstrumentPublished };
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => Record(state, value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => Record(state, (double)value, tags));
        _listener.Start();
        registry.AddBeforeCollectCallback(ObserveBeforeScrape);
    }

    private enum InstrumentKind
    {
        Counter,
        ObservableCounter,
        UpDownCounter,
        Gauge,
        Histogram,
    }

    /// <summary>Histogram edges of an instrument without bucket advice: the OpenTelemetry SDK's default, so both exporters agree.</summary>
    public static IReadOnlyList<double> DefaultBuckets { get; } = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    /// <summary>The meter whose instruments are exported.</summary>
    public string MeterName { get; }

    /// <summary>Measurements not exported: tag keys other than the series' labels, or a value the collector refused.</summary>
    public long DroppedMeasurements => Interlocked.Read(ref _dropped);

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
    }

    private static void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        ((InstrumentBinding)state!).Record(value, tags);

    /// <summary>Reads the observable instruments just before the registry is serialized.</summary>
    private void ObserveBeforeScrape()
    {
        // The registry cannot forget the callback; a disposed bridge turns it into a no-op.
        if (_disposed)
        {
            return;
        }

        try
        {
            _listener.RecordObservableInstruments();
        }
        catch (AggregateException e)
        {
            // A failing callback loses its own values, not the scrape.
            Interlocked.Increment(ref _dropped);
            TelemetryLog.ObservationFailed(_logger, e.InnerException ?? e, MeterName);
        }
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (_disposed
            || !string.Equals(instrument.Meter.Name, MeterName, StringComparison.Ordinal)
            || (_meterFactory is not null && !ReferenceEquals(instrument.Meter.Scope, _meterFactory)))
        {
            return;
        }

        if (KindOf(instrument) is not { } kind)
        {
            TelemetryLog.InstrumentNotSupported(_logger, instrument.Name, instrument.GetType().Name);
            return;
        }

        var binding = new InstrumentBinding(this, instrument, kind);
        if (_labelNames.TryGetValue(instrument.Name, out var keys))
        {
            binding.Declare(keys);
        }

        listener.EnableMeasurementEvents(instrument, binding);
    }

    private static InstrumentKind? KindOf(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(Counter<>) ? InstrumentKind.Counter
            : definition == typeof(ObservableCounter<>) ? InstrumentKind.ObservableCounter
            : definition == typeof(UpDownCounter<>) ? InstrumentKind.UpDownCounter
            : definition == typeof(Gauge<>) || definition == typeof(ObservableGauge<>) || definition == typeof(ObservableUpDownCounter<>) ? InstrumentKind.Gauge
            : definition == typeof(Histogram<>) ? InstrumentKind.Histogram
            : null;
    }

    /// <summary>The instrument's bucket advice, or <see cref="DefaultBuckets"/>.</summary>
    private static double[] BucketsOf(Instrument instrument)
    {
        var advised = instrument switch
        {
            Instrument<double> i => Edges(i.Advice),
            Instrument<float> i => Edges(i.Advice),
            Instrument<long> i => Edges(i.Advice),
            Instrument<int> i => Edges(i.Advice),
            Instrument<short> i => Edges(i.Advice),
            Instrument<byte> i => Edges(i.Advice),
            Instrument<decimal> i => Edges(i.Advice),
            _ => null,
        };
        return advised ?? [.. DefaultBuckets];
    }

    private static double[]? Edges<T>(InstrumentAdvice<T>? advice)
        where T : struct, INumberBase<T>
    {
        if (advice?.HistogramBucketBoundaries is not { Count: > 0 } boundaries)
        {
            return null;
        }

        var edges = new double[boundaries.Count];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = double.CreateChecked(boundaries[i]);
        }

        return edges;
    }
}
