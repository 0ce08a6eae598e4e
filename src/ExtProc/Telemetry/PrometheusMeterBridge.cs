using System.Diagnostics.Metrics;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
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
internal sealed class PrometheusMeterBridge : IDisposable
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

    private static string KeyList(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = new StringBuilder();
        foreach (var tag in tags)
        {
            text.Append(text.Length == 0 ? "" : ",").Append(tag.Key);
        }

        return text.ToString();
    }

    private static string LabelValue(object? value) => value switch
    {
        string text => text,
        null => "",
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Up to <see cref="InlineLabels"/> label values on the stack.</summary>
    [InlineArray(InlineLabels)]
    private struct LabelValues
    {
        private string _element;
    }

    /// <summary>The prometheus-net collector of one instrument and the tag keys its labels come from.</summary>
    private sealed class Series(string[] keys, Collector? collector)
    {
        /// <summary>Tag keys in label order.</summary>
        public string[] Keys { get; } = keys;

        /// <summary>Null when the collector could not be created (a name or label conflict): measurements are dropped.</summary>
        public Collector? Collector { get; } = collector;
    }

    /// <summary>What one instrument's measurements go to: the listener's state for it.</summary>
    private sealed class InstrumentBinding(PrometheusMeterBridge bridge, Instrument instrument, InstrumentKind kind)
    {
        private readonly Lock _gate = new();
        private volatile Series? _series;
        private int _dropLogged;

        private string PrometheusName { get; } = PrometheusNaming.MetricName(instrument.Name, instrument.Unit,
            counter: kind is InstrumentKind.Counter or InstrumentKind.ObservableCounter);

        /// <summary>Creates the collector now, labelled by <paramref name="keys"/>.</summary>
        public void Declare(string[] keys)
        {
            lock (_gate)
            {
                _series ??= CreateSeries([.. keys]);
            }
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            try
            {
                var series = _series ?? Define(tags);
                if (series?.Collector is not { } collector)
                {
                    Interlocked.Increment(ref bridge._dropped);
                    return;
                }

                var keys = series.Keys;
                if (tags.Length != keys.Length)
                {
                    Drop(tags, keys);
                    return;
                }

                if (keys.Length == 0)
                {
                    Apply(collector, [], value);
                    return;
                }

                var inline = default(LabelValues);
                Span<string> values = keys.Length <= InlineLabels ? inline[..keys.Length] : new string[keys.Length];
                if (!InOrder(keys, tags, values) && !Reordered(keys, tags, values))
                {
                    Drop(tags, keys);
                    return;
                }

                Apply(collector, values, value);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // prometheus-net refuses a negative counter increment or a NaN bucket; never the caller's problem.
                Interlocked.Increment(ref bridge._dropped);
                if (Interlocked.Exchange(ref _dropLogged, 1) == 0)
                {
                    TelemetryLog.MeasurementFailed(bridge._logger, e, instrument.Name);
                }
            }
        }

        /// <summary>The fast path: the tags in label order (keys are usually the same interned literals).</summary>
        private static bool InOrder(string[] keys, ReadOnlySpan<KeyValuePair<string, object?>> tags, Span<string> values)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                var key = tags[i].Key;
                if (!ReferenceEquals(key, keys[i]) && !string.Equals(key, keys[i], StringComparison.Ordinal))
                {
                    return false;
                }

                values[i] = LabelValue(tags[i].Value);
            }

            return true;
        }

        /// <summary>The same keys in another order: each label looks for its tag.</summary>
        private static bool Reordered(string[] keys, ReadOnlySpan<KeyValuePair<string, object?>> tags, Span<string> values)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                var found = false;
                for (var j = 0; j < tags.Length && !found; j++)
                {
                    if (string.Equals(tags[j].Key, keys[i], StringComparison.Ordinal))
                    {
                        values[i] = LabelValue(tags[j].Value);
                        found = true;
                    }
                }

                if (!found)
                {
                    return false;
                }
            }

            return true;
        }

        private void Apply(Collector collector, ReadOnlySpan<string> labels, double value)
        {
            switch (kind)
            {
                case InstrumentKind.Counter:
                    var counter = (Counter)collector;
                    if (labels.IsEmpty)
                    {
                        counter.Inc(value);
                    }
                    else
                    {
                        counter.WithLabels(labels).Inc(value);
                    }

                    break;
                case InstrumentKind.ObservableCounter:
                    var observed = (Counter)collector;
                    if (labels.IsEmpty)
                    {
                        observed.IncTo(value);
                    }
                    else
                    {
                        observed.WithLabels(labels).IncTo(value);
                    }

                    break;
                case InstrumentKind.UpDownCounter:
                    var upDown = (Gauge)collector;
                    var child = labels.IsEmpty ? (IGauge)upDown : upDown.WithLabels(labels);
                    if (value >= 0)
                    {
                        child.Inc(value);
                    }
                    else
                    {
                        child.Dec(-value);
                    }

                    break;
                case InstrumentKind.Gauge:
                    var gauge = (Gauge)collector;
                    if (labels.IsEmpty)
                    {
                        gauge.Set(value);
                    }
                    else
                    {
                        gauge.WithLabels(labels).Set(value);
                    }

                    break;
                default:
                    var histogram = (Histogram)collector;
                    if (labels.IsEmpty)
                    {
                        histogram.Observe(value);
                    }
                    else
                    {
                        histogram.WithLabels(labels).Observe(value);
                    }

                    break;
            }
        }

        /// <summary>Creates the collector from the first measurement's tag keys; null (dropped) when they repeat.</summary>
        private Series? Define(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var keys = new string[tags.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = tags[i].Key;
                if (Array.IndexOf(keys, keys[i], 0, i) >= 0)
                {
                    return null;
                }
            }

            lock (_gate)
            {
                return _series ??= CreateSeries(keys);
            }
        }

        private Series CreateSeries(string[] keys)
        {
            var labelNames = new string[keys.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                labelNames[i] = PrometheusNaming.LabelName(keys[i]);
            }

            var help = instrument.Description ?? "";
            try
            {
                Collector collector = kind switch
                {
                    InstrumentKind.Counter or InstrumentKind.ObservableCounter =>
                        bridge._factory.CreateCounter(PrometheusName, help, new CounterConfiguration { LabelNames = labelNames }),
                    InstrumentKind.UpDownCounter or InstrumentKind.Gauge =>
                        bridge._factory.CreateGauge(PrometheusName, help, new GaugeConfiguration { LabelNames = labelNames }),
                    _ => bridge._factory.CreateHistogram(PrometheusName, help,
                        new HistogramConfiguration { LabelNames = labelNames, Buckets = BucketsOf(instrument) }),
                };
                TelemetryLog.InstrumentExported(bridge._logger, instrument.Name, collector.GetType().Name, PrometheusName);
                return new Series(keys, collector);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Another collector of that name with other labels or type, or an invalid label name.
                TelemetryLog.CollectorFailed(bridge._logger, e, instrument.Name, PrometheusName);
                return new Series(keys, null);
            }
        }

        private void Drop(ReadOnlySpan<KeyValuePair<string, object?>> tags, string[] keys)
        {
            Interlocked.Increment(ref bridge._dropped);
            if (bridge._logger.IsEnabled(LogLevel.Warning) && Interlocked.Exchange(ref _dropLogged, 1) == 0)
            {
                TelemetryLog.MeasurementDropped(bridge._logger, instrument.Name, KeyList(tags), string.Join(",", keys));
            }
        }
    }
}
