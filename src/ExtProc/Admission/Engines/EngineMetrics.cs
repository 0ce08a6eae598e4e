using System.Globalization;

namespace AiSidecar.ExtProc.Admission.Engines;

/// <summary>What one scrape of an engine says: each value null when the engine does not export it.</summary>
/// <param name="Waiting">Requests queued, summed over the page's label sets (models, engines).</param>
/// <param name="Running">Requests running, summed likewise.</param>
/// <param name="KvUsage">KV-cache use, 0 to 1: the fullest label set's.</param>
/// <param name="KvCapacityTokens">KV-cache capacity in tokens, summed over the label sets.</param>
internal readonly record struct EngineReading(double? Waiting, double? Running, double? KvUsage, long? KvCapacityTokens);

/// <summary>
/// Which metrics give an engine's load, and how (docs/admission.md, "Engine load", lists them): counts are summed over the
/// label sets of a page (an endpoint serving several models, or several engines behind one port, exports one set
/// each), the KV-cache use is the largest (the fullest cache is the one a request may not fit in), capacities are
/// summed. A missing metric, or one whose every sample is NaN, reads as null; a KV use outside 0..1 is clamped.
/// </summary>
internal sealed class EngineMetrics
{
    private static readonly EngineMetrics VllmMetrics = new(EngineKind.Vllm,
        waiting: ["vllm:num_requests_waiting"], running: ["vllm:num_requests_running"],
        kvUsage: ["vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"], capacity: ["vllm:cache_config_info"]);

    private static readonly EngineMetrics SglangMetrics = new(EngineKind.Sglang,
        waiting: ["sglang:num_queue_reqs"], running: ["sglang:num_running_reqs"],
        kvUsage: ["sglang:token_usage"], capacity: ["sglang:max_total_num_tokens"]);

    private static readonly EngineMetrics TgiMetrics = new(EngineKind.Tgi,
        waiting: ["tgi_queue_size"], running: ["tgi_batch_current_size"], kvUsage: [], capacity: []);

    private static readonly EngineMetrics TrtllmMetrics = new(EngineKind.Trtllm,
        waiting: ["trtllm_num_requests_waiting"], running: ["trtllm_num_requests_running"],
        kvUsage: ["trtllm_kv_cache_utilization"], capacity: ["trtllm_kv_cache_max_blocks", "trtllm_kv_cache_tokens_per_block"]);

    private readonly EngineKind _kind;
    private readonly string[] _waiting;
    private readonly string[] _running;
    private readonly string[] _kvUsage;
    private readonly string[] _capacity;

    private EngineMetrics(EngineKind kind, string[] waiting, string[] running, string[] kvUsage, string[] capacity)
    {
        _kind = kind;
        _waiting = waiting;
        _running = running;
        _kvUsage = kvUsage;
        _capacity = capacity;
        Wanted = new MetricNames([.. waiting, .. running, .. kvUsage, .. capacity]);
    }

    /// <summary>The names a page of this engine is parsed for.</summary>
    public MetricNames Wanted { get; }

    public static EngineMetrics For(EngineKind kind) => kind switch
    {
        EngineKind.Vllm => VllmMetrics,
        EngineKind.Sglang => SglangMetrics,
        EngineKind.Tgi => TgiMetrics,
        EngineKind.Trtllm => TrtllmMetrics,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown engine."),
    };

    /// <summary>The load <paramref name="samples"/> (of <see cref="Wanted"/>) give.</summary>
    public EngineReading Read(IReadOnlyList<MetricSample> samples)
    {
        var kv = First(samples, _kvUsage, Max);
        return new(First(samples, _waiting, Sum), First(samples, _running, Sum), kv is { } usage ? Math.Clamp(usage, 0, 1) : null, Capacity(samples));
    }

    private long? Capacity(IReadOnlyList<MetricSample> samples) => _kind switch
    {
        // An info gauge (value 1) whose labels carry the cache config: blocks × tokens per block.
        EngineKind.Vllm => SumOver(samples, _capacity[0], s => LongLabel(s, "num_gpu_blocks") * LongLabel(s, "block_size")),
        EngineKind.Sglang => SumOver(samples, _capacity[0], s => double.IsFinite(s.Value) ? (long)s.Value : null),
        EngineKind.Trtllm => SumOver(samples, _capacity[0], s => double.IsFinite(s.Value) ? (long)s.Value : null)
            * (Max(samples, _capacity[1]) is { } perBlock ? (long)perBlock : null),
        _ => null,
    };

    /// <summary>The value of the first of <paramref name="names"/> the page has (newer names first, older after).</summary>
    private static double? First(IReadOnlyList<MetricSample> samples, string[] names, Func<IReadOnlyList<MetricSample>, string, double?> fold)
    {
        foreach (var name in names)
        {
            if (fold(samples, name) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    private static double? Sum(IReadOnlyList<MetricSample> samples, string name)
    {
        double? sum = null;
        foreach (var sample in samples)
        {
            if (string.Equals(sample.Name, name, StringComparison.Ordinal) && !double.IsNaN(sample.Value))
            {
                sum = (sum ?? 0) + sample.Value;
            }
        }

        return sum;
    }

    private static double? Max(IReadOnlyList<MetricSample> samples, string name)
    {
        double? max = null;
        foreach (var sample in samples)
        {
            if (string.Equals(sample.Name, name, StringComparison.Ordinal) && !double.IsNaN(sample.Value))
            {
                max = Math.Max(max ?? double.MinValue, sample.Value);
            }
        }

        return max;
    }

    private static long? SumOver(IReadOnlyList<MetricSample> samples, string name, Func<MetricSample, long?> value)
    {
        long? sum = null;
        foreach (var sample in samples)
        {
            if (string.Equals(sample.Name, name, StringComparison.Ordinal) && value(sample) is { } one)
            {
                sum = (sum ?? 0) + one;
            }
        }

        return sum;
    }

    private static long? LongLabel(MetricSample sample, string label) =>
        long.TryParse(sample.Label(label), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
