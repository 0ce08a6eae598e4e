using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Tests.Responses;

/// <summary>The model server's prompt_tokens against the server's own exact count, per catalogue model.</summary>
public sealed class CountCheckTests
{
    [Theory]
    [InlineData(0, "exact")]
    [InlineData(3, "differs")]
    [InlineData(-2, "differs")]
    public async Task Record_EngineCountAgainstOurs_CountsTheDifferenceAndLogsWhenItDiffers(int offset, string result)
    {
        using var harness = new UsageHarness();
        var exchange = await harness.RequestAsync(ApiKind.ChatCompletions, "/v1/chat/completions", ResponseShapesTests.Chat(false));
        var counted = exchange.PromptTokens!.Value;
        Assert.True(exchange.PromptTokensExact);

        await harness.RespondAsync(exchange, $$$"""{"model":"Qwen/Qwen3-8B","choices":[],"usage":{"prompt_tokens":{{{counted + offset}}},"completion_tokens":1}}""", sse: false);

        Assert.Equal(1, await harness.MetricAsync($"extproc_count_check_total{{model=\"qwen3-8b\",result=\"{result}\"}}"));
        Assert.Equal(offset, await harness.MetricAsync("extproc_count_check_difference_sum{model=\"qwen3-8b\"}"));
        Assert.Equal(1, await harness.MetricAsync($"extproc_count_check_difference_bucket{{model=\"qwen3-8b\",le=\"{(offset == 0 ? "0" : offset == 3 ? "4" : "-2")}\"}}")
            - (offset == 3 ? await harness.MetricAsync("extproc_count_check_difference_bucket{model=\"qwen3-8b\",le=\"2\"}") : 0));
        var logged = harness.Logs.Entries.Where(e => e.EventName == "CountDiffers").ToList();
        if (offset == 0)
        {
            Assert.Empty(logged);
        }
        else
        {
            var line = Assert.Single(logged).Message;
            Assert.Contains($"the model server counted {counted + offset}, the server {counted} (difference {offset})", line, StringComparison.Ordinal);
            Assert.DoesNotContain("France", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Record_Rerank_NoCountCheck()
    {
        using var harness = new UsageHarness();
        var exchange = await harness.RequestAsync(ApiKind.Rerank, "/v1/rerank", """{"model":"bge-reranker-v2","query":"q","documents":["a","b"]}""");

        await harness.RespondAsync(exchange, """{"model":"BAAI/bge-reranker-v2-m3","usage":{"total_tokens":9},"results":[]}""", sse: false);

        Assert.Equal(0, await harness.MetricAsync("extproc_count_check_total{model=\"bge-reranker-v2\",result=\"differs\"}"));
        Assert.Equal(9, await harness.MetricAsync("""gen_ai_client_token_usage_sum{gen_ai_operation_name="rerank",gen_ai_provider_name="vllm",gen_ai_request_model="bge-reranker-v2",gen_ai_response_model="BAAI/bge-reranker-v2-m3",gen_ai_token_type="input"}"""));
    }
}
