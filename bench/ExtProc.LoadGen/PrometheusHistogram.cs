using System.Globalization;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// One Prometheus histogram read from text exposition: cumulative bucket counts per label value.
/// Quantiles follow PromQL's <c>histogram_quantile</c>: linear interpolation inside the bucket.
/// </summary>
internal sealed class PrometheusHistogram
{
    /// <summary>Cumulative counts per series (label set text) per upper bound.</summary>
    private readonly Dictionary<string, SortedDictionary<double, double>> _series = new(StringComparer.Ordinal);

    public IEnumerable<string> Series => _series.Keys;

    /// <summary>Reads the <c>{name}_bucket</c> lines of a scrape.</summary>
    public static PrometheusHistogram Parse(string exposition, string name)
    {
        var histogram = new PrometheusHistogram();
        var prefix = name + "_bucket{";
        foreach (var line in exposition.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var close = line.LastIndexOf('}');
            var labels = line[prefix.Length..close].Split(',');
            var le = labels.Single(l => l.StartsWith("le=", StringComparison.Ordinal))[4..^1];
            var series = string.Join(',', labels.Where(l => !l.StartsWith("le=", StringComparison.Ordinal)));
            var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            var value = double.Parse(line[(close + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            if (!histogram._series.TryGetValue(series, out var buckets))
            {
                histogram._series[series] = buckets = [];
            }

            buckets[bound] = value;
        }

        return histogram;
    }

    /// <summary>This scrape minus an earlier one: the observations made in between.</summary>
    public PrometheusHistogram Minus(PrometheusHistogram earlier)
    {
        var result = new PrometheusHistogram();
        foreach (var (series, buckets) in _series)
        {
            var before = earlier._series.GetValueOrDefault(series);
            result._series[series] = new SortedDictionary<double, double>(
                buckets.ToDictionary(b => b.Key, b => b.Value - (before?.GetValueOrDefault(b.Key) ?? 0)));
        }

        return result;
    }

    /// <summary>All series summed (they share bounds).</summary>
    public SortedDictionary<double, double> Total()
    {
        var total = new SortedDictionary<double, double>();
        foreach (var buckets in _series.Values)
        {
            foreach (var (bound, count) in buckets)
            {
                total[bound] = total.GetValueOrDefault(bound) + count;
            }
        }

        return total;
    }

    public SortedDictionary<double, double> Get(string series) => _series[series];

    /// <summary>Observation count of cumulative <paramref name="buckets"/>.</summary>
    public static double Count(SortedDictionary<double, double> buckets) =>
        buckets.Count == 0 ? 0 : buckets[double.PositiveInfinity];

    /// <summary>
    /// The <paramref name="q"/> quantile; <paramref name="aboveLastBound"/> is true when it fell in the +Inf bucket
    /// and the largest finite bound is returned instead.
    /// </summary>
    public static double Quantile(SortedDictionary<double, double> buckets, double q, out bool aboveLastBound)
    {
        aboveLastBound = false;
        var total = Count(buckets);
        if (total <= 0)
        {
            return double.NaN;
        }

        var rank = q * total;
        var lowerBound = 0.0;
        var lowerCount = 0.0;
        foreach (var (bound, cumulative) in buckets)
        {
            if (cumulative >= rank)
            {
                if (double.IsPositiveInfinity(bound))
                {
                    aboveLastBound = true;
                    return lowerBound;
                }

                var inBucket = cumulative - lowerCount;
                return inBucket <= 0 ? bound : lowerBound + ((bound - lowerBound) * (rank - lowerCount) / inBucket);
            }

            lowerBound = bound;
            lowerCount = cumulative;
        }

        return lowerBound;
    }
}
