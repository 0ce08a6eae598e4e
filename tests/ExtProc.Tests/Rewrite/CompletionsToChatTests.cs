using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Rewrite;

namespace AiSidecar.ExtProc.Tests.Rewrite;

public sealed class CompletionsToChatTests
{
    private static JsonElement Convert(string body)
    {
        var bytes = CompletionsToChat.Convert(Encoding.UTF8.GetBytes(body), "served/model");
        return JsonDocument.Parse(bytes).RootElement.Clone();
    }

    private static InferenceRequest Inspect(string body) => new RequestInspector().Inspect(ApiKind.Completions, Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Convert_StringPrompt_BecomesOneUserMessageAndKeepsParameters()
    {
        var chat = Convert("""{"model":"m","prompt":"Say hi","max_tokens":5,"temperature":0.2,"stop":["\n"],"stream":true,"user":"u1","n":2}""");

        Assert.Equal("served/model", chat.GetProperty("model").GetString());
        var message = Assert.Single(chat.GetProperty("messages").EnumerateArray());
        Assert.Equal(("user", "Say hi"), (message.GetProperty("role").GetString(), message.GetProperty("content").GetString()));
        Assert.False(chat.TryGetProperty("prompt", out _));
        Assert.Equal(5, chat.GetProperty("max_tokens").GetInt32());
        Assert.Equal(0.2, chat.GetProperty("temperature").GetDouble());
        Assert.Equal("\n", chat.GetProperty("stop")[0].GetString());
        Assert.True(chat.GetProperty("stream").GetBoolean());
        Assert.Equal(("u1", 2), (chat.GetProperty("user").GetString(), chat.GetProperty("n").GetInt32()));
    }

    [Fact]
    public void Convert_EscapedPromptInAOneStringArray_IsCopiedAsWritten()
    {
        var chat = Convert("""{ "prompt" : [ "line\n\"quoted\" \u00e9" ], "model" : "m", "stop": null }""");

        Assert.Equal("line\n\"quoted\" é", chat.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.Null, chat.GetProperty("stop").ValueKind);
    }

    [Fact]
    public void Convert_BodyWithByteOrderMark_IsConverted()
    {
        var bytes = CompletionsToChat.Convert((byte[])[0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"prompt":"x"}""")], "m");

        Assert.Equal("x", JsonDocument.Parse(bytes).RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Fact]
    public void Convert_LogprobsCount_BecomesChatLogprobsAndTopLogprobs()
    {
        var chat = Convert("""{"model":"m","prompt":"x","logprobs":3}""");

        Assert.True(chat.GetProperty("logprobs").GetBoolean());
        Assert.Equal(3, chat.GetProperty("top_logprobs").GetInt32());
    }

    [Fact]
    public void Convert_NonAsciiPrompt_StaysUtf8()
    {
        var bytes = CompletionsToChat.Convert(Encoding.UTF8.GetBytes("""{"prompt":"héllo 世界"}"""), "m");

        Assert.Contains("héllo 世界", Encoding.UTF8.GetString(bytes.Span), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"prompt":"x","suffix":"end"}""", "suffix")]
    [InlineData("""{"prompt":"x","echo":true}""", "echo")]
    public void Convert_FieldChatCannotCarry_Is400NamingTheField(string body, string param)
    {
        var error = Assert.Throws<InspectionException>(() => Convert(body)).Error;

        Assert.Equal((400, param), (error.Status, error.Param));
    }

    [Theory]
    [InlineData("""{"prompt":"hi","messages":[{"role":"user","content":"never counted"}]}""", "messages")]
    [InlineData("""{"prompt":"x","logprobs":2,"top_logprobs":5}""", "top_logprobs")]
    public void Convert_FieldTheConversionWrites_Is400NamingTheField(string body, string param)
    {
        var error = Assert.Throws<InspectionException>(() => Convert(body)).Error;

        Assert.Equal((400, param), (error.Status, error.Param));
    }

    /// <summary>Found by fuzzing (docs/fuzzing.md): each prompt became a messages member, so the body held two.</summary>
    [Theory]
    [InlineData("""{"prompt":"x","":false,"prompt":""}""")]
    [InlineData("""{"prompt":"first","logprobs":1,"prompt":"second","logprobs":2}""")]
    public void Convert_DuplicateFields_ConvertsTheOnesInspectionRead(string body)
    {
        var request = Inspect(body);

        var bytes = CompletionsToChat.Convert(Encoding.UTF8.GetBytes(body), "m");

        var text = Encoding.UTF8.GetString(bytes.Span);
        var chat = new RequestInspector().Inspect(ApiKind.ChatCompletions, bytes);
        Assert.Equal([request.Texts[0]], Assert.Single(chat.Messages).TextParts);
        Assert.Equal(1, Regex.Count(text, "\"messages\":"));
        Assert.True(Regex.Count(text, "\"top_logprobs\":") <= 1, text);
    }

    /// <summary>Found by fuzzing: comparing a name that escapes an unpaired surrogate threw, and the exchange got a 500.</summary>
    [Fact]
    public void Convert_NameEscapingAnUnpairedSurrogate_IsCopiedAsWritten()
    {
        const string Member = "\"su\\ude01zfix\":\"\"";
        var body = $$"""{"prompt":"x","ekho":false,{{Member}}}""";
        Inspect(body);

        var text = Encoding.UTF8.GetString(CompletionsToChat.Convert(Encoding.UTF8.GetBytes(body), "m").Span);

        Assert.Contains(Member, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_EchoFalseAndEmptySuffix_AreDropped()
    {
        var chat = Convert("""{"prompt":"x","echo":false,"suffix":""}""");

        Assert.False(chat.TryGetProperty("echo", out _));
        Assert.False(chat.TryGetProperty("suffix", out _));
    }

    [Theory]
    [InlineData("""{"prompt":[1,2,3]}""", "token-id prompts")]
    [InlineData("""{"prompt":["a","b"]}""", "one conversation")]
    [InlineData("""{"prompt":[]}""", "one conversation")]
    public void Check_PromptChatCannotHold_Is400(string body, string reason)
    {
        var error = CompletionsToChat.Check(Inspect(body));

        Assert.NotNull(error);
        Assert.Equal(("prompt", 400), (error.Param, error.Status));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OneStringInAnArray_IsConvertible()
    {
        Assert.Null(CompletionsToChat.Check(Inspect("""{"prompt":["only one"]}""")));
    }

    [Theory]
    [InlineData("/v1/completions", "/v1/chat/completions")]
    [InlineData("/v1/completions?api-version=2", "/v1/chat/completions?api-version=2")]
    [InlineData(null, "/v1/chat/completions")]
    public void Path_CompletionsPath_BecomesChatPathKeepingTheQuery(string? path, string expected)
    {
        Assert.Equal(expected, CompletionsToChat.Path(path));
    }

    [Fact]
    public void AsChat_Request_IsCountedAsOneUserMessage()
    {
        var chat = CompletionsToChat.AsChat(Inspect("""{"model":"m","prompt":"hello"}"""));

        Assert.Equal(ApiKind.ChatCompletions, chat.Kind);
        Assert.Empty(chat.Texts);
        Assert.Equal(("user", "hello"), (chat.Messages[0].Role, chat.Messages[0].Content));
    }
}
