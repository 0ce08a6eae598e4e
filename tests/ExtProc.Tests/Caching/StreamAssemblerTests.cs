using System.Text;
using System.Text.Json;
using AiSidecar.ExtProc.Caching;

namespace AiSidecar.ExtProc.Tests.Caching;

public sealed class StreamAssemblerTests
{
    private const string Envelope = "\"id\":\"chatcmpl-9\",\"object\":\"chat.completion.chunk\",\"created\":1764504000,\"model\":\"qwen3\"";

    [Fact]
    public void Feed_EventsSplitAnywhere_AddUpToTheSameCompletion()
    {
        var sse = Sse(
            $$$"""{{{{Envelope}}},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""",
            $$$"""{{{{Envelope}}},"choices":[{"index":0,"delta":{"reasoning_content":"Think."},"logprobs":null,"finish_reason":null}]}""",
            $$$"""{{{{Envelope}}},"choices":[{"index":0,"delta":{"content":"Bonjour, "},"logprobs":null,"finish_reason":null}]}""",
            $$$"""{{{{Envelope}}},"choices":[{"index":0,"delta":{"content":"café ☕"},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}""",
            $$$"""{{{{Envelope}}},"choices":[],"usage":{"prompt_tokens":5,"total_tokens":9,"completion_tokens":4}}""");
        var whole = StreamAssembler.TryAssemble(sse);

        // Every split point, byte by byte: the events' lines are put back together.
        for (var split = 1; split < sse.Length; split += 7)
        {
            var assembler = new StreamAssembler(1 << 20);
            Assert.True(assembler.Feed(sse.AsSpan(0, split)));
            Assert.True(assembler.Feed(sse.AsSpan(split)));
            Assert.Equal(whole, assembler.Finish());
        }

        var completion = JsonDocument.Parse(whole!).RootElement;
        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        Assert.Equal("chatcmpl-9", completion.GetProperty("id").GetString());
        Assert.Equal(1764504000, completion.GetProperty("created").GetInt64());
        var message = completion.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("Bonjour, café ☕", message.GetProperty("content").GetString());
        Assert.Equal("Think.", message.GetProperty("reasoning_content").GetString());
        Assert.Equal("stop", completion.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(9, completion.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public void TryAssemble_ToolCallDeltas_JoinedByIndex()
    {
        var sse = Sse(
            $$$"""{{{{Envelope}}},"choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}""",
            $$$"""{{{{Envelope}}},"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"finish_reason":null}]}""",
            $$$"""{{{{Envelope}}},"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},"finish_reason":null}]}""",
            $$$"""{{{{Envelope}}},"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]},"finish_reason":"tool_calls"}]}""",
            $$$"""{{{{Envelope}}},"choices":[],"usage":{"prompt_tokens":5,"total_tokens":20,"completion_tokens":15}}""");

        var completion = JsonDocument.Parse(StreamAssembler.TryAssemble(sse)!).RootElement;

        var message = completion.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        var calls = message.GetProperty("tool_calls");
        Assert.Equal(2, calls.GetArrayLength());
        Assert.Equal("call_1", calls[0].GetProperty("id").GetString());
        Assert.Equal("get_weather", calls[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("{\"city\":\"Paris\"}", calls[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("get_time", calls[1].GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public void TryAssemble_CompletionsChunksOverCrlfWithTwoChoices_JoinsEachChoiceText()
    {
        const string Text = "\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"qwen3\"";
        var sse = Encoding.UTF8.GetBytes(string.Concat(new[]
        {
            $$$"""{{{{Text}}},"choices":[{"index":1,"text":"B","logprobs":null,"finish_reason":null}]}""",
            $$$"""{{{{Text}}},"choices":[{"index":0,"text":"A","logprobs":null,"finish_reason":null}]}""",
            $$$"""{{{{Text}}},"choices":[{"index":0,"text":"a","logprobs":null,"finish_reason":"length"},{"index":1,"text":"b","logprobs":null,"finish_reason":"stop"}]}""",
            $$$"""{{{{Text}}},"choices":[],"usage":{"prompt_tokens":1,"total_tokens":5,"completion_tokens":4}}""",
            "[DONE]",
        }.Select(e => $"data: {e}\r\n\r\n")));

        var completion = JsonDocument.Parse(StreamAssembler.TryAssemble(sse)!).RootElement;

        Assert.Equal("text_completion", completion.GetProperty("object").GetString());
        var choices = completion.GetProperty("choices");
        Assert.Equal(["Aa", "Bb"], choices.EnumerateArray().Select(c => c.GetProperty("text").GetString()));
        Assert.Equal(["length", "stop"], choices.EnumerateArray().Select(c => c.GetProperty("finish_reason").GetString()));
    }

    [Theory]
    [InlineData("sglang")]
    [InlineData("tgi")]
    public void TryAssemble_OtherEnginesChunks_JoinedTheSameWay(string engine)
    {
        // SGLang sends every member, null when unset, and matched_stop with the finish; TGI repeats the role in every
        // delta and puts the usage on the chunk that finishes.
        string[] events = engine == "sglang"
            ?
            [
                """{"id":"a1","object":"chat.completion.chunk","created":1,"model":"qwen","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel","reasoning_content":null,"tool_calls":null},"logprobs":null,"finish_reason":null,"matched_stop":null}],"usage":null}""",
                """{"id":"a1","object":"chat.completion.chunk","created":1,"model":"qwen","choices":[{"index":0,"delta":{"role":null,"content":"lo","reasoning_content":null,"tool_calls":null},"logprobs":null,"finish_reason":"stop","matched_stop":151645}],"usage":null}""",
                """{"id":"a1","object":"chat.completion.chunk","created":1,"model":"qwen","choices":[],"usage":{"prompt_tokens":4,"total_tokens":6,"completion_tokens":2}}""",
            ]
            :
            [
                """{"object":"chat.completion.chunk","id":"","created":1,"model":"llama","system_fingerprint":"3.0.1-native","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"logprobs":null,"finish_reason":null}],"usage":null}""",
                """{"object":"chat.completion.chunk","id":"","created":1,"model":"llama","system_fingerprint":"3.0.1-native","choices":[{"index":0,"delta":{"role":"assistant","content":"lo"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}}""",
            ];

        var completion = JsonDocument.Parse(StreamAssembler.TryAssemble(Sse(events))!).RootElement;

        var choice = completion.GetProperty("choices")[0];
        Assert.Equal("Hello", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(6, completion.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal(engine == "sglang", choice.TryGetProperty("matched_stop", out _));
        Assert.Equal(engine == "tgi", completion.TryGetProperty("system_fingerprint", out _));
    }

    [Theory]
    [InlineData("""{"index":0,"delta":{"content":"x"},"logprobs":{"content":[]},"finish_reason":"stop"}""")]
    [InlineData("""{"index":0,"delta":{"content":"x","audio":{"id":"a"}},"finish_reason":"stop"}""")]
    [InlineData("""{"index":0,"delta":{"content":"x"},"finish_reason":null}""")]
    public void TryAssemble_SomethingItCannotReproduce_Refused(string choice)
    {
        var sse = Sse(
            $$$"""{{{{Envelope}}},"choices":[{{{choice}}}]}""",
            $$$"""{{{{Envelope}}},"choices":[],"usage":{"prompt_tokens":1,"total_tokens":2,"completion_tokens":1}}""");

        Assert.Null(StreamAssembler.TryAssemble(sse));
    }

    [Theory]
    [InlineData("""{"error":{"message":"engine died","type":"server_error"}}""")]
    [InlineData("""{"object":"error","message":"engine died","code":500}""")]
    [InlineData("not json")]
    public void TryAssemble_ErrorEventOrNoUsage_Refused(string last)
    {
        var sse = Sse($$$"""{{{{Envelope}}},"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}""", last);

        Assert.Null(StreamAssembler.TryAssemble(sse));
    }

    [Fact]
    public void Feed_TextBeyondTheLimit_RefusedForItsSize()
    {
        var assembler = new StreamAssembler(1024);
        var piece = Encoding.UTF8.GetBytes($$$"""data: {{{{Envelope}}},"choices":[{"index":0,"delta":{"content":"{{{new string('x', 300)}}}"},"finish_reason":null}]}""" + "\n\n");

        var fed = Enumerable.Range(0, 5).Select(_ => assembler.Feed(piece)).ToList();

        Assert.Contains(false, fed);
        Assert.True(assembler.TooLarge);
        Assert.Null(assembler.Finish());
    }

    [Fact]
    public void ToSse_ThenTryAssemble_GivesBackTheStoredCompletion()
    {
        const string Stored = """{"id":"chatcmpl-3","object":"chat.completion","created":5,"model":"qwen3","choices":[{"index":0,"message":{"role":"assistant","content":"Hi","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},"logprobs":null,"finish_reason":"tool_calls"},{"index":1,"message":{"role":"assistant","content":"Ho"},"logprobs":null,"finish_reason":"stop","stop_reason":null}],"usage":{"prompt_tokens":3,"total_tokens":7,"completion_tokens":4}}""";

        var withUsageChunk = CacheReplay.ToSse(Encoding.UTF8.GetBytes(Stored), includeUsage: true)!.Value.ToArray();
        var usageOnLast = CacheReplay.ToSse(Encoding.UTF8.GetBytes(Stored), includeUsage: false)!.Value.ToArray();

        var stored = JsonDocument.Parse(Stored).RootElement;
        foreach (var replay in new[] { withUsageChunk, usageOnLast })
        {
            var again = JsonDocument.Parse(StreamAssembler.TryAssemble(replay)!).RootElement;
            Assert.Equal(stored.GetProperty("usage").ToString(), again.GetProperty("usage").ToString());
            Assert.Equal(
                stored.GetProperty("choices").EnumerateArray().Select(c => (c.GetProperty("message").GetProperty("content").GetString(), c.GetProperty("finish_reason").GetString())),
                again.GetProperty("choices").EnumerateArray().Select(c => (c.GetProperty("message").GetProperty("content").GetString(), c.GetProperty("finish_reason").GetString())));
            Assert.Equal("{}", again.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
        }
    }

    [Fact]
    public void ToSse_EmbeddingsResponse_IsNotAStream()
    {
        Assert.Null(CacheReplay.ToSse("""{"object":"list","data":[]}"""u8.ToArray(), includeUsage: true));
    }

    private static byte[] Sse(params string[] events) =>
        Encoding.UTF8.GetBytes(string.Concat(events.Append("[DONE]").Select(e => $"data: {e}\n\n")));
}
