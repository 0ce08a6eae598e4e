using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using static AiSidecar.ExtProc.Tests.Infrastructure.TrafficExamples;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>The response phase counts each registry-routed request by model, version, variant and status class.</summary>
public sealed class VariantMetricsTests
{
    [Fact]
    public async Task Process_StableOkAndCanaryError_AreCountedPerVariant()
    {
        await using var server = await TestExtProcServer.StartAsync(Config);
        var client = server.Client();
        var chat = InferenceBodies.Chat("hi", "qwen3");

        await client.RunAsync(HttpExchange.For(Post("/v1/chat/completions", chat, ("x-user-id", "alice"))));
        await client.RunAsync(HttpExchange.For(Post("/v1/chat/completions", chat, ("x-experiment", "qwen-fp8")), UpstreamResponse.Json("{}", status: 503)));

        var metrics = await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("extproc_variant_requests_total{model=\"qwen3-8b\",version=\"v1\",variant=\"stable\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("extproc_variant_responses_total{model=\"qwen3-8b\",version=\"v1\",variant=\"stable\",class=\"2xx\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("extproc_variant_responses_total{model=\"qwen3-8b\",version=\"v2\",variant=\"canary\",class=\"5xx\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("extproc_variant_response_seconds_count{model=\"qwen3-8b\",version=\"v2\",variant=\"canary\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_RejectedRequest_IsNotCountedForAnyVariant()
    {
        await using var server = await TestExtProcServer.StartAsync(Config);

        await server.Client().RunAsync(HttpExchange.For(Post("/v1/chat/completions", InferenceBodies.Chat("hi", "unknown-model"))));

        var metrics = await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.DoesNotContain("extproc_variant_requests_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("extproc_errors_total{kind=\"model_not_found\"} 1", metrics, StringComparison.Ordinal);
    }
}
