using System.Text;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Responses;

namespace AiSidecar.ExtProc.Tests.Responses;

/// <summary>Every recorded response shape, read through the real stages at every chunk split: the usage, model and errors it holds.</summary>
public sealed class ResponseShapesTests
{
    public static TheoryData<string, int> ShapesAndSplits()
    {
        var data = new TheoryData<string, int>();
        foreach (var shape in ResponseShapes.All)
        {
            foreach (var size in new[] { 0, 1, 2, 7, 64 })
            {
                data.Add(shape.Name, size);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShapesAndSplits))]
    public async Task Read_RecordedShapeInChunks_FindsItsUsageModelAndErrors(string name, int chunkSize)
    {
        var shape = ResponseShapes.All.Single(s => s.Name == name);
        using var harness = new UsageHarness();
        var exchange = await harness.RequestAsync(ApiKind.ChatCompletions, "/v1/chat/completions", Chat(shape.Sse));

        var (seen, read) = await harness.RespondAsync(exchange, shape.Body, shape.Sse, chunkSize: chunkSize);

        Assert.True(read);
        Assert.Equal(shape.Body, Encoding.UTF8.GetString(seen));
        var usage = exchange.Usage!;
        Assert.Equal(shape.Input is null ? null : new TokenUsage(shape.Input.Value, shape.Output, shape.Cached, shape.Reasoning), usage.Usage);
        Assert.Equal(shape.Error, usage.Error);
        Assert.Equal(shape.Model, usage.ResponseModel);
        Assert.Equal(shape.Sse, usage.Sse);
    }

    [Fact]
    public async Task Read_AllRecordedShapesWithUsage_ParsesEveryOne()
    {
        using var harness = new UsageHarness();
        var withUsage = ResponseShapes.All.Where(s => s.Input is not null).ToList();
        foreach (var shape in withUsage)
        {
            var exchange = await harness.RequestAsync(ApiKind.ChatCompletions, "/v1/chat/completions", Chat(shape.Sse));
            await harness.RespondAsync(exchange, shape.Body, shape.Sse, chunkSize: 5);
        }

        var json = withUsage.Count(s => !s.Sse);
        Assert.Equal(json, await harness.MetricAsync("""extproc_usage_responses_total{model="qwen3-8b",source="json"}"""));
        Assert.Equal(withUsage.Count - json, await harness.MetricAsync("""extproc_usage_responses_total{model="qwen3-8b",source="sse"}"""));
        Assert.Equal(0, await harness.MetricAsync("""extproc_usage_responses_total{model="qwen3-8b",source="none"}"""));
    }

    [Fact]
    public async Task Read_ErrorStatusWithNestedError_CountsNoUsageAndTheStatusAsErrorType()
    {
        using var harness = new UsageHarness();
        var exchange = await harness.RequestAsync(ApiKind.ChatCompletions, "/v1/chat/completions", Chat(false));

        await harness.RespondAsync(exchange, ResponseShapes.All.Single(s => s.Name == "vllm error nested").Body, sse: false, status: 400);

        Assert.True(exchange.Usage!.Error);
        Assert.Equal(1, await harness.MetricAsync("""extproc_usage_responses_total{model="qwen3-8b",source="none"}"""));
        Assert.Equal(1, await harness.MetricAsync(
            """gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name="chat",gen_ai_provider_name="vllm",gen_ai_request_model="qwen3-8b",gen_ai_response_model="",error_type="400"}"""));
    }

    [Fact]
    public async Task Read_StreamErrorMidStream_CountsTheOperationAsFailed()
    {
        using var harness = new UsageHarness();
        var exchange = await harness.RequestAsync(ApiKind.ChatCompletions, "/v1/chat/completions", Chat(true));

        await harness.RespondAsync(exchange, ResponseShapes.All.Single(s => s.Name == "vllm chat stream error mid-stream").Body, sse: true, chunkSize: 16);

        Assert.Equal(1, await harness.MetricAsync(
            """gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name="chat",gen_ai_provider_name="vllm",gen_ai_request_model="qwen3-8b",gen_ai_response_model="qwen3",error_type="_OTHER"}"""));
        Assert.Equal(1, await harness.MetricAsync("""extproc_usage_responses_total{model="qwen3-8b",source="none"}"""));
    }

    [Fact]
    public async Task Read_UsageDisabled_NeverAsksForTheBody()
    {
        using var harness = new UsageHarness(null, "--responses:readUsage=false");
        var exchange = await harness.RequestAsync(ApiKind.ChatCompletions, "/v1/chat/completions", Chat(true));

        var (_, read) = await harness.RespondAsync(exchange, "data: [DONE]\n\n", sse: true);

        Assert.False(read);
        Assert.Null(exchange.Usage);
    }

    internal static string Chat(bool stream, string model = "qwen3") =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"What is the capital of France?"}],"stream":{{(stream ? "true" : "false")}}}""";
}
