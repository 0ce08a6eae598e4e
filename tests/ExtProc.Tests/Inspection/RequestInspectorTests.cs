using System.Text;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Inspection;

public sealed class RequestInspectorTests
{
    private readonly RequestInspector _inspector = new();

    private InferenceRequest Inspect(ApiKind kind, string json) => _inspector.Inspect(kind, Encoding.UTF8.GetBytes(json));

    private InspectionException Reject(ApiKind kind, string json) =>
        Assert.Throws<InspectionException>(() => Inspect(kind, json));

    [Fact]
    public void Inspect_ChatWithStringAndPartContent_ReadsEveryField()
    {
        var request = Inspect(ApiKind.ChatCompletions, """
            {"model":"qwen3-8b","stream":true,"user":"u-1","max_completion_tokens":64,"max_tokens":9,
             "messages":[{"role":"system","content":"Be brief."},
                         {"role":"user","name":"ann","content":[{"type":"text","text":"Hi"},{"type":"image_url","image_url":{"url":"data:x"}}]},
                         {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]}]}
            """);

        Assert.Equal("qwen3-8b", request.Model);
        Assert.True(request.Stream);
        Assert.Equal("u-1", request.User);
        Assert.Equal(64, request.MaxTokens);
        Assert.Equal(3, request.Messages.Count);
        Assert.Equal(["Be brief."], request.Messages[0].TextParts);
        Assert.Equal("ann", request.Messages[1].Name);
        Assert.Equal(["Hi"], request.Messages[1].TextParts);
        Assert.Equal(1, request.NonTextParts);
        Assert.Equal(["f", "{}"], request.Messages[2].TextParts);
    }

    [Theory]
    [InlineData("""{"prompt":"one"}""", 1, 0)]
    [InlineData("""{"prompt":["one","two"]}""", 2, 0)]
    [InlineData("""{"prompt":[1,2,3]}""", 0, 3)]
    [InlineData("""{"prompt":[[1,2],[3]]}""", 0, 3)]
    public void Inspect_CompletionPromptForms_SplitsTextsAndTokenIds(string json, int texts, int tokens)
    {
        var request = Inspect(ApiKind.Completions, json);

        Assert.Equal(texts, request.Texts.Count);
        Assert.Equal(tokens, request.PretokenizedTokens);
    }

    [Fact]
    public void Inspect_EmbeddingsInput_ReadsInputAndMaxTokensFallsBack()
    {
        var request = Inspect(ApiKind.Embeddings, """{"model":"e5","input":["a","b"]}""");

        Assert.Equal(["a", "b"], request.Texts);
        Assert.Null(request.MaxTokens);
    }

    [Fact]
    public void Inspect_ResponsesInputItems_ReadsInstructionsMessagesAndToolOutput()
    {
        var request = Inspect(ApiKind.Responses, """
            {"model":"m","instructions":"sys","max_output_tokens":5,
             "input":[{"role":"user","content":[{"type":"input_text","text":"q"}]},{"type":"function_call_output","call_id":"c","output":"42"}]}
            """);

        Assert.Equal(["sys", "42"], request.Texts);
        Assert.Single(request.Messages);
        Assert.Equal(5, request.MaxTokens);
    }

    [Theory]
    [InlineData("""{"query":"q","documents":["a",{"text":"b"}]}""")]
    [InlineData("""{"query":"q","texts":["a","b"]}""")]
    public void Inspect_RerankDocumentsOrTexts_ReadsQueryAndDocuments(string json)
    {
        var request = Inspect(ApiKind.Rerank, json);

        Assert.Equal(3, request.Texts.Count);
        Assert.Equal("q", request.Texts[0]);
    }

    [Theory]
    [InlineData("{\"messages\":[", "invalid_json")]
    [InlineData("[1,2]", "invalid_field")]
    [InlineData("""{"messages":"hi"}""", "invalid_field")]
    [InlineData("""{"messages":[{"content":"no role"}]}""", "missing_field")]
    [InlineData("""{"messages":[{"role":"user","content":5}]}""", "invalid_field")]
    [InlineData("""{"model":7,"messages":[]}""", "invalid_field")]
    [InlineData("""{"model":"a\nb","messages":[]}""", "invalid_field")]
    [InlineData("""{"stream":"yes","messages":[]}""", "invalid_field")]
    [InlineData("""{"max_tokens":-1,"messages":[]}""", "invalid_field")]
    [InlineData("""{"max_tokens":1.5,"messages":[]}""", "invalid_field")]
    [InlineData("""{"model":"m"}""", "missing_field")]
    public void Inspect_MalformedChat_RaisesTheMatchingError(string json, string kind)
    {
        var error = Reject(ApiKind.ChatCompletions, json).Error;

        Assert.Equal(kind, error.Kind);
        Assert.Equal(400, error.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" gpt-4o")]
    [InlineData("gpt-4o ")]
    [InlineData("gpt-4o\t")]
    [InlineData("\u00a0gpt-4o")]
    [InlineData("gpt-4o\u3000")]
    [InlineData("gpt-4o\r\nx-ai-pool: llm-large")]
    [InlineData("gpt\u00004o")]
    [InlineData("gpt\u007f4o")]
    [InlineData("gpt\u00854o")]
    [InlineData("gpt\u200b4o")]
    [InlineData("gpt\u202e4o")]
    [InlineData("gpt\u20284o")]
    public void Inspect_ModelWithSurroundingWhitespaceOrControlOrInvisibleCharacters_Is400(string model)
    {
        var error = Reject(ApiKind.ChatCompletions, InferenceBodies.Chat("hi", model)).Error;

        Assert.Equal((400, "invalid_field", "model"), (error.Status, error.Kind, error.Param));
    }

    [Theory]
    [InlineData(256, true)]
    [InlineData(257, false)]
    public void Inspect_ModelNameLength_IsAtMost256(int length, bool accepted)
    {
        var body = InferenceBodies.Chat("hi", new string('m', length));

        Assert.Equal(accepted, Record.Exception(() => Inspect(ApiKind.ChatCompletions, body)) is null);
    }

    [Fact]
    public void Inspect_InvalidUtf8_IsInvalidJson()
    {
        byte[] body = [.. "{\"prompt\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        var error = Assert.Throws<InspectionException>(() => _inspector.Inspect(ApiKind.Completions, body)).Error;

        Assert.Equal("invalid_json", error.Kind);
    }

    [Fact]
    public void Inspect_UnpairedSurrogateEscape_IsInvalidJsonNotACrash()
    {
        Assert.Equal("invalid_json", Reject(ApiKind.Completions, """{"prompt":"\ud800"}""").Error.Kind);
    }

    [Fact]
    public void Inspect_NestingBeyondLimit_IsInvalidJsonNotACrash()
    {
        var json = "{\"prompt\":" + new string('[', 5000) + new string(']', 5000) + "}";

        Assert.Equal("invalid_json", Reject(ApiKind.Completions, json).Error.Kind);
    }

    [Fact]
    public void Inspect_ErrorMessage_NeverEchoesPromptText()
    {
        var error = Reject(ApiKind.Completions, """{"prompt":"secret-prompt-text" """).Error;

        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
