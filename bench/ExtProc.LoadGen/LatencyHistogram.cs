using System.Diagnostics;
using System.Numerics;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// A log-linear histogram of latencies in microseconds (HdrHistogram's layout, 256 sub-buckets: under 0.8% error),
/// fixed size and allocation-free on record. One per worker; merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 256;
    private const int HalfSubBuckets = SubBuckets / 2;
    private const int SubBucketBits = 8;
    private const int MaxExponent = 40;

    private readonly long[] _counts = new long[SubBuckets + (MaxExponent * HalfSubBuckets)];

    public long Count { get; private set; }

    public long MaxMicros { get; private set; }

    public void RecordTicks(long stopwatchTicks) => Record(stopwatchTicks * 1_000_000 / Stopwatch.Frequency);

    public void Record(long micros)
    {
        micros = Math.Max(0, micros);
        _counts[Index(micros)]++;
        Count++;
        MaxMicros = Math.Max(MaxMicros, micros);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        MaxMicros = Math.Max(MaxMicros, other.MaxMicros);
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1), in microseconds (bucket midpoint).</summary>
    public double Quantile(double q)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(q * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= Math.Max(1, rank))
            {
                return Math.Min(Midpoint(i), MaxMicros);
            }
        }

        return MaxMicros;
    }

    private static int Index(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        // Shift so the value lands in [128, 256): the top bits give the sub-bucket, the shift the exponent.
        var shift = Math.Min(MaxExponent, 64 - BitOperations.LeadingZeroCount((ulong)value) - SubBucketBits);
        var sub = (int)Math.Min(SubBuckets - 1, value >> shift);
        return SubBuckets + ((shift - 1) * HalfSubBuckets) + (sub - HalfSubBuckets);
    }

    private static double Midpoint(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var shift = ((index - SubBuckets) / HalfSubBuckets) + 1;
        var sub = ((index - SubBuckets) % HalfSubBuckets) + HalfSubBuckets;
        return (sub << shift) + ((1L << shift) / 2.0);
    }
}
