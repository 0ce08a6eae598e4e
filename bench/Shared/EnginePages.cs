using System.Globalization;
using System.Text;

namespace AiSidecar.ExtProc.Bench;

/// <summary>
/// Metrics pages shaped as each model server emits them (names, labels, HELP/TYPE lines, histograms with their
/// <c>_bucket</c>/<c>_count</c>/<c>_sum</c>/<c>_created</c> series, counters with <c>_total</c>/<c>_created</c>), with
/// the load values a test chooses. Written for these tests from the engines' documented metric names; deterministic.
/// </summary>
internal static class EnginePages
{
    private const string Model = "meta-llama/Llama-3.1-8B-Instruct";
    private const double Created = 1.7364e9;

    private static readonly double[] LatencyBuckets =
        [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];

    private static readonly double[] TokenBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 131072];

    /// <summary>
    /// A vLLM (V1 engine) page: one label set per engine (<c>engine="0"</c>…), the scheduler and KV-cache gauges, the
    /// cache config info gauge, and the request histograms.
    /// </summary>
    public static string Vllm(double waiting, double running, double kvUsage, int gpuBlocks = 27153, int engines = 1, bool oldCacheName = false)
    {
        var page = new StringBuilder();
        for (var e = 0; e < engines; e++)
        {
            var labels = $"engine=\"{e}\",model_name=\"{Model}\"";
            Gauge(page, "vllm:num_requests_running", "Number of requests in model execution batches.", labels, running);
            Gauge(page, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", labels, waiting);
            Gauge(page, oldCacheName ? "vllm:gpu_cache_usage_perc" : "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", labels, kvUsage);
            Gauge(page, "vllm:cache_config_info", "Information of the LLMEngine CacheConfig",
                $"block_size=\"16\",cache_dtype=\"auto\",calculate_kv_scales=\"False\",cpu_offload_gb=\"0\",enable_prefix_caching=\"True\",engine=\"{e}\"," +
                $"gpu_memory_utilization=\"0.9\",is_attention_free=\"False\",num_cpu_blocks=\"None\",num_gpu_blocks=\"{gpuBlocks}\"," +
                "num_gpu_blocks_override=\"None\",prefix_caching_hash_algo=\"builtin\",sliding_window=\"None\",swap_space=\"4\",swap_space_bytes=\"4294967296\"", 1);
            Counter(page, "vllm:num_preemptions", "Cumulative number of preemption from the engine.", labels, 3);
            Counter(page, "vllm:prompt_tokens", "Number of prefill tokens processed.", labels, 8_128_902);
            Counter(page, "vllm:generation_tokens", "Number of generation tokens processed.", labels, 7_557_572);
            foreach (var reason in new[] { "stop", "length", "abort" })
            {
                Counter(page, "vllm:request_success", "Count of successfully processed requests.", $"{labels},finished_reason=\"{reason}\"", 1200);
            }

            Histogram(page, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", labels, LatencyBuckets);
            Histogram(page, "vllm:time_per_output_token_seconds", "Histogram of time per output token in seconds.", labels, LatencyBuckets);
            Histogram(page, "vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", labels, LatencyBuckets);
            Histogram(page, "vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", labels, LatencyBuckets);
            Histogram(page, "vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.", labels, LatencyBuckets);
            Histogram(page, "vllm:request_inference_time_seconds", "Histogram of time spent in RUNNING phase for request.", labels, LatencyBuckets);
            Histogram(page, "vllm:request_prefill_time_seconds", "Histogram of time spent in PREFILL phase for request.", labels, LatencyBuckets);
            Histogram(page, "vllm:request_decode_time_seconds", "Histogram of time spent in DECODE phase for request.", labels, LatencyBuckets);
            Histogram(page, "vllm:request_prompt_tokens", "Number of prefill tokens processed.", labels, TokenBuckets);
            Histogram(page, "vllm:request_generation_tokens", "Number of generation tokens processed.", labels, TokenBuckets);
            Histogram(page, "vllm:iteration_tokens_total", "Histogram of number of tokens per engine_step.", labels, TokenBuckets);
            Histogram(page, "vllm:request_max_num_generation_tokens", "Histogram of maximum number of requested generation tokens.", labels, TokenBuckets);
            Histogram(page, "vllm:request_params_n", "Histogram of the n request parameter.", labels, [1, 2, 5, 10, 20]);
            Histogram(page, "vllm:request_params_max_tokens", "Histogram of the max_tokens request parameter.", labels, TokenBuckets);
        }

        // The process collector of prometheus_client, as vLLM's page ends with it.
        Gauge(page, "process_resident_memory_bytes", "Resident memory size in bytes.", "", 1.2e10);
        Gauge(page, "process_open_fds", "Number of open file descriptors.", "", 312);
        return page.ToString();
    }

    /// <summary>An SGLang page: the scheduler gauges per <c>model_name</c> (and ranks), the token histograms.</summary>
    public static string Sglang(double queued, double running, double tokenUsage, long maxTotalTokens = 161_721)
    {
        var page = new StringBuilder();
        var labels = $"engine_type=\"unified\",model_name=\"{Model}\",pp_rank=\"0\",tp_rank=\"0\",moe_ep_rank=\"0\"";
        Gauge(page, "sglang:num_running_reqs", "The number of running requests.", labels, running);
        Gauge(page, "sglang:num_used_tokens", "The number of used tokens.", labels, Math.Round(tokenUsage * maxTotalTokens));
        Gauge(page, "sglang:token_usage", "The token usage.", labels, tokenUsage);
        Gauge(page, "sglang:gen_throughput", "The generation throughput (token/s).", labels, 1532.7);
        Gauge(page, "sglang:num_queue_reqs", "The number of requests in the waiting queue.", labels, queued);
        Gauge(page, "sglang:cache_hit_rate", "The prefix cache hit rate.", labels, 0.0075);
        Gauge(page, "sglang:max_total_num_tokens", "Maximum total number of tokens in the KV cache pool.", labels, maxTotalTokens);
        Counter(page, "sglang:prompt_tokens", "Number of prefill tokens processed.", labels, 8_128_902);
        Histogram(page, "sglang:time_to_first_token_seconds", "Histogram of time to first token in seconds.", labels, LatencyBuckets);
        Histogram(page, "sglang:e2e_request_latency_seconds", "Histogram of End-to-end request latency in seconds", labels, LatencyBuckets);
        return page.ToString();
    }

    /// <summary>A TGI page as its Rust exporter writes it: TYPE lines without HELP, no label on the queue gauges.</summary>
    public static string Tgi(double queueSize, double batchSize)
    {
        var page = new StringBuilder();
        page.Append("# TYPE tgi_request_count counter\ntgi_request_count 4521\n");
        page.Append("# TYPE tgi_queue_size gauge\ntgi_queue_size ").Append(Format(queueSize)).Append('\n');
        page.Append("# TYPE tgi_batch_current_size gauge\ntgi_batch_current_size ").Append(Format(batchSize)).Append('\n');
        page.Append("# TYPE tgi_batch_current_max_tokens gauge\ntgi_batch_current_max_tokens 12288\n");
        page.Append("# TYPE tgi_request_duration histogram\n");
        foreach (var le in LatencyBuckets)
        {
            page.Append("tgi_request_duration_bucket{le=\"").Append(Format(le)).Append("\"} 10\n");
        }

        page.Append("tgi_request_duration_bucket{le=\"+Inf\"} 10\ntgi_request_duration_sum 12.5\ntgi_request_duration_count 10\n");
        return page.ToString();
    }

    /// <summary>A TensorRT-LLM (<c>trtllm-serve</c>) page: the iteration gauges with <c>model_name</c> and <c>engine_type</c>.</summary>
    public static string Trtllm(double waiting, double running, double kvUtilization, long maxBlocks = 4096, int tokensPerBlock = 32)
    {
        var page = new StringBuilder();
        var labels = $"engine_type=\"trtllm\",model_name=\"{Model}\"";
        Gauge(page, "trtllm_num_requests_running", "Number of active requests", labels, running);
        Gauge(page, "trtllm_num_requests_waiting", "Number of queued requests", labels, waiting);
        Gauge(page, "trtllm_kv_cache_utilization", "KV cache utilization", labels, kvUtilization);
        Gauge(page, "trtllm_kv_cache_max_blocks", "Maximum number of KV cache blocks", labels, maxBlocks);
        Gauge(page, "trtllm_kv_cache_tokens_per_block", "Tokens per KV cache block", labels, tokensPerBlock);
        Gauge(page, "trtllm_kv_cache_hit_rate", "KV cache hit rate", labels, 0.12);
        Histogram(page, "trtllm_time_to_first_token_seconds", "Histogram of time to first token in seconds.", labels, LatencyBuckets);
        return page.ToString();
    }

    private static void Gauge(StringBuilder page, string name, string help, string labels, double value)
    {
        page.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        page.Append("# TYPE ").Append(name).Append(" gauge\n");
        Sample(page, name, labels, value);
    }

    private static void Counter(StringBuilder page, string name, string help, string labels, double value)
    {
        page.Append("# HELP ").Append(name).Append("_total ").Append(help).Append('\n');
        page.Append("# TYPE ").Append(name).Append("_total counter\n");
        Sample(page, name + "_total", labels, value);
        Sample(page, name + "_created", labels, Created);
    }

    private static void Histogram(StringBuilder page, string name, string help, string labels, double[] buckets)
    {
        page.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        page.Append("# TYPE ").Append(name).Append(" histogram\n");
        var sep = labels.Length > 0 ? "," : "";
        for (var i = 0; i < buckets.Length; i++)
        {
            Sample(page, name + "_bucket", $"le=\"{Format(buckets[i])}\"{sep}{labels}", 100.0 * (i + 1));
        }

        Sample(page, name + "_bucket", $"le=\"+Inf\"{sep}{labels}", 100.0 * (buckets.Length + 1));
        Sample(page, name + "_count", labels, 100.0 * (buckets.Length + 1));
        Sample(page, name + "_sum", labels, 2_351_897.9474117756);
        Sample(page, name + "_created", labels, Created);
    }

    private static void Sample(StringBuilder page, string name, string labels, double value)
    {
        page.Append(name);
        if (labels.Length > 0)
        {
            page.Append('{').Append(labels).Append('}');
        }

        page.Append(' ').Append(Format(value)).Append('\n');
    }

    /// <summary>As prometheus_client writes floats: Python's repr (<c>1.0</c>, <c>8.128902e+06</c>).</summary>
    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        _ when value == Math.Floor(value) && Math.Abs(value) < 1e15 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
