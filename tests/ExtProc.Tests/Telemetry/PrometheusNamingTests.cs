using AiSidecar.ExtProc.Telemetry;

namespace AiSidecar.ExtProc.Tests.Telemetry;

public sealed class PrometheusNamingTests
{
    [Theory]
    // The server's instruments: today's names.
    [InlineData("extproc.requests", null, true, "extproc_requests_total")]
    [InlineData("extproc.prompt_tokens", "{token}", false, "extproc_prompt_tokens")]
    [InlineData("extproc.processing", "s", false, "extproc_processing_seconds")]
    [InlineData("extproc.errors", null, true, "extproc_errors_total")]
    [InlineData("extproc.open_streams", "{stream}", false, "extproc_open_streams")]
    [InlineData("extproc.response_status", "{response}", true, "extproc_response_status_total")]
    [InlineData("extproc.variant.requests", "{request}", true, "extproc_variant_requests_total")]
    [InlineData("extproc.variant.responses", "{response}", true, "extproc_variant_responses_total")]
    [InlineData("extproc.variant.response", "s", false, "extproc_variant_response_seconds")]
    [InlineData("extproc.config.reloads", "{reload}", true, "extproc_config_reloads_total")]
    [InlineData("extproc.config.generation", null, false, "extproc_config_generation")]
    [InlineData("extproc.tokenizer.loaded", "1", false, "extproc_tokenizer_loaded")]
    [InlineData("extproc.tokenizer.load_failures", "{failure}", true, "extproc_tokenizer_load_failures_total")]
    [InlineData("extproc.tokenizer.fallback", "{request}", true, "extproc_tokenizer_fallback_total")]
    [InlineData("extproc.build_info", null, false, "extproc_build_info")]
    // The general rules.
    [InlineData("http.server.request.duration", "s", false, "http_server_request_duration_seconds")]
    [InlineData("process.memory.usage", "By", false, "process_memory_usage_bytes")]
    [InlineData("db.client.operation.time", "ms", true, "db_client_operation_time_milliseconds_total")]
    [InlineData("network.io", "By/s", false, "network_io_bytes_per_second")]
    [InlineData("queue.rate", "{item}/s", false, "queue_rate_per_second")]
    [InlineData("system.cpu.utilization", "1", false, "system_cpu_utilization")]
    [InlineData("room.temperature", "Cel", false, "room_temperature_celsius")]
    [InlineData("link.dropped", "packets", true, "link_dropped_packets_total")]
    [InlineData("request.latency_seconds", "s", false, "request_latency_seconds")]
    [InlineData("jobs.done_total", null, true, "jobs_done_total")]
    [InlineData("my-app..requests.", null, true, "my_app_requests_total")]
    [InlineData("9lives", null, false, "_9lives")]
    [InlineData("scope:name", "", false, "scope:name")]
    public void MetricName_Instrument_FollowsTheCompatibilityRules(string name, string? unit, bool counter, string expected)
    {
        Assert.Equal(expected, PrometheusNaming.MetricName(name, unit, counter));
    }

    [Theory]
    [InlineData("decision", "decision")]
    [InlineData("http.route", "http_route")]
    [InlineData("gen_ai.request.model", "gen_ai_request_model")]
    public void LabelName_TagKey_ReplacesInvalidCharacters(string key, string expected)
    {
        Assert.Equal(expected, PrometheusNaming.LabelName(key));
    }
}
