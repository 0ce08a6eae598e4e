using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Prometheus;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>One instrument's export: its collector, its labels, and how each measurement lands in a series.</summary>
internal sealed partial class PrometheusMeterBridge
{
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
