using System.Text;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Responses;

namespace AiSidecar.ExtProc.Tests.Responses;

/// <summary>Streams: timings (TTFT, time per output token), the injected usage chunk removed, memory bounded.</summary>
public sealed class UsageStreamTests
{
    private const string Labels = "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"vllm\",gen_ai_request_model=\"qwen3-8b\",gen_ai_response_model=\"qwen3\"";

    private static readonly string Stream = ResponseShapes.All.Single(s => s.Name == "vllm chat stream with usage").Body;

    [Fact]
    public async Task Read_StreamEventPerChunk_RecordsTimeToFirstTokenTimePerOutputTokenAndDuration()
    {
        using var harness = new UsageHarness();
        var exchange = await harness.RequestAsync(ApiKind.ChatCompletions, "/v1/chat/completions", ResponseShapesTests.Chat(true));

        // Five chunks, 10 ms apart: three content events (3 completion tokens), the usage chunk, [DONE].
        await harness.RespondAsync(exchange, Events(Stream), sse: true, between: TimeSpan.FromMilliseconds(10));

        Assert.Equal(1, await harness.MetricAsync($"gen_ai_server_time_to_first_token_seconds_count{{{Labels}}}"));
        Assert.Equal(0.010, await harness.MetricAsync($"gen_ai_server_time_to_first_token_seconds_sum{{{Labels}}}"), 6);
        Assert.Equal(0.010, await harness.MetricAsync($"gen_ai_server_time_per_output_token_seconds_sum{{{Labels}}}"), 6);
        Assert.Equal(0.050, await harness.MetricAsync($"gen_ai_client_operation_duration_seconds_sum{{{Labels},error_type=\"\"}}"), 6);
        Assert.Equal(10, await harness.MetricAsync($"gen_ai_client_token_usage_sum{{{Labels},gen_ai_token_type=\"input\"}}"));
        Assert.Equal(3, await harness.MetricAsync($"gen_ai_client_token_usage_sum{{{Labels},gen_ai_token_type=\"output\"}}"));
    }

    [Fact]
    public async Task Read_JsonResponse_RecordsNoStreamTimings()
    {
        using var harness = new UsageHarness();
        var exchange = await harness.RequestAsync(ApiKind.ChatCompletions, "/v1/chat/completions", ResponseShapesTests.Chat(false));

        await harness.RespondAsync(exchange, ResponseShapes.All[0].Body, sse: false);

        Assert.Equal(0, await harness.MetricAsync("""gen_ai_server_time_to_first_token_seconds_count{gen_ai_operation_name="chat",gen_ai_provider_name="vllm",gen_ai_request_model="qwen3-8b",gen_ai_response_model="Qwen/Qwen3-8B"}"""));
        Assert.Equal(1, await harness.MetricAsync("""gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name="chat",gen_ai_provider_name="vllm",gen_ai_request_model="qwen3-8b",gen_ai_response_model="Qwen/Qwen3-8B",error_type=""}"""));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(50)]
    public async Task Read_InjectedUsageTheClientDidNotAskFor_RemovesTheUsageChunkAndStillCounts(int chunkSize)
    {
        using var harness = new UsageHarness(UsageHarness.InjectingConfig);
        var exchange = await harness.RequestAsync(ApiKind.ChatCompletions, "/v1/chat/completions", ResponseShapesTests.Chat(true));
        Assert.Contains("\"stream_options\":{\"include_usage\":true}", Encoding.UTF8.GetString(exchange.ReplacementBody!.Value.Span), StringComparison.Ordinal);

        var (seen, _) = await harness.RespondAsync(exchange, Stream, sse: true, chunkSize: chunkSize);

        var usageEvent = Stream.Split("\n\n")[3] + "\n\n";
        Assert.Contains("\"choices\":[],\"usage\"", usageEvent, StringComparison.Ordinal);
        Assert.Equal(Stream.Replace(usageEvent, "", StringComparison.Ordinal), Encoding.UTF8.GetString(seen));
        Assert.Equal(new TokenUsage(10, 3, 8, null), exchange.Usage!.Usage);
    }

    [Fact]
    public async Task Read_ClientAskedForUsage_StreamUnchanged()
    {
        using var harness = new UsageHarness(UsageHarness.InjectingConfig);
        var body = """{"model":"qwen3","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}""";
        var exchange = await harness.RequestAsync(ApiKind.ChatCompletions, "/v1/chat/completions", body);
        Assert.DoesNotContain("include_usage", Encoding.UTF8.GetString((exchange.ReplacementBody ?? exchange.Body).Span).Replace("\"include_usage\":true}", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var (seen, _) = await harness.RespondAsync(exchange, Stream, sse: true, chunkSize: 7);

        Assert.Equal(Stream, Encoding.UTF8.GetString(seen));
        Assert.False(exchange.Usage!.RemoveUsageChunk);
    }

    [Fact]
    public async Task Read_InjectedUsageAfterAnEventOverTheHoldBound_PassesTheLargeEventWhole()
    {
        using var harness = new UsageHarness(UsageHarness.InjectingConfig, "--responses:maxHeldEventBytes=1024");
        var exchange = await harness.RequestAsync(ApiKind.ChatCompletions, "/v1/chat/completions", ResponseShapesTests.Chat(true));
        var large = $$$"""data: {"choices":[{"index":0,"delta":{"content":"{{{new string('x', 5000)}}}"}}]}""" + "\n\n";
        var usage = """data: {"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":1}}""" + "\n\n";

        var (seen, _) = await harness.RespondAsync(exchange, large + usage + "data: [DONE]\n\n", sse: true, chunkSize: 300);

        Assert.Equal(large + "data: [DONE]\n\n", Encoding.UTF8.GetString(seen));
        Assert.Equal(10, exchange.Usage!.Usage!.Value.Input);
    }

    /// <summary>A 16 MiB event, then a stream with no newline at all: read in 64 KiB chunks with a few KiB allocated, usage still found.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Read_HugeEventOrNoNewline_MemoryStaysBounded(bool newline)
    {
        using var harness = new UsageHarness(UsageHarness.InjectingConfig);
        var exchange = await harness.RequestAsync(ApiKind.ChatCompletions, "/v1/chat/completions", ResponseShapesTests.Chat(true));
        var head = Encoding.UTF8.GetBytes("data: {\"choices\":[{\"delta\":{\"content\":\"");
        var tail = Encoding.UTF8.GetBytes(newline
            ? "\"}}]}\n\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n"
            : "\"}}]}");
        var body = new byte[head.Length + (16 << 20) + tail.Length];
        head.CopyTo(body, 0);
        body.AsSpan(head.Length, 16 << 20).Fill((byte)'a');
        tail.CopyTo(body, body.Length - tail.Length);
        await harness.HeadersAsync(exchange, sse: true);
        var chunks = new List<ResponseBodyChunk>();
        for (var offset = 0; offset < body.Length; offset += 64 << 10)
        {
            chunks.Add(new ResponseBodyChunk(body.AsMemory(offset, Math.Min(64 << 10, body.Length - offset)), offset + (64 << 10) >= body.Length));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var chunk in chunks)
        {
            await harness.Harness.Pipeline.RunResponseBodyAsync(exchange, chunk);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Removing the usage chunk writes what passes (16 MiB) once; nothing else grows with the stream.
        Assert.InRange(allocated, 0, (16 << 20) + (4 << 20));
        Assert.Equal(newline ? new TokenUsage(7, 2, null, null) : null, exchange.Usage!.Usage);
    }

    [Fact]
    public async Task Read_HugeStreamWithoutRemoval_AllocatesNothingPerByte()
    {
        using var harness = new UsageHarness();
        var exchange = await harness.RequestAsync(ApiKind.ChatCompletions, "/v1/chat/completions", ResponseShapesTests.Chat(true));
        var body = new byte[16 << 20];
        body.AsSpan().Fill((byte)'a');
        "data: {\"x\":\""u8.CopyTo(body);
        await harness.HeadersAsync(exchange, sse: true);
        var chunks = Enumerable.Range(0, 256).Select(i => new ResponseBodyChunk(body.AsMemory(i << 16, 1 << 16), i == 255)).ToList();

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var chunk in chunks)
        {
            await harness.Harness.Pipeline.RunResponseBodyAsync(exchange, chunk);
        }

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 256 << 10);
        Assert.All(chunks, c => Assert.Null(c.Replacement));
    }

    /// <summary>The stream cut at each event boundary: one chunk per event.</summary>
    private static List<byte[]> Events(string stream) =>
        [.. stream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => Encoding.UTF8.GetBytes(e + "\n\n"))];
}
