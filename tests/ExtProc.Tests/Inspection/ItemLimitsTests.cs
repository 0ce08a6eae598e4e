using System.Text;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Tests.Inspection;

/// <summary>
/// The <c>inspection</c> limits: a few bytes per array item cannot make a request cost far more than its size (the
/// issue's 100,000 empty content parts, counted as 8.5 M tokens).
/// </summary>
public sealed class ItemLimitsTests
{
    private static readonly InspectionOptions Small = new() { MaxMessages = 3, MaxContentParts = 2, MaxMediaParts = 2, MaxInputs = 3, MaxTools = 2 };

    private static InferenceRequest Inspect(ApiKind kind, string json, InspectionOptions? limits = null) =>
        new RequestInspector(Options.Create(limits ?? new InspectionOptions())).Inspect(kind, Encoding.UTF8.GetBytes(json));

    private static ApiError Reject(ApiKind kind, string json, InspectionOptions? limits = null) =>
        Assert.Throws<InspectionException>(() => Inspect(kind, json, limits)).Error;

    private static string Repeat(string item, int count) => string.Join(',', Enumerable.Repeat(item, count));

    private static void AssertTooMany(ApiError error, string param)
    {
        Assert.Equal((400, "too_many_items", "array_above_max_length", "invalid_request_error"), (error.Status, error.Kind, error.Code, error.Type));
        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void Inspect_HundredThousandEmptyContentParts_Is400BeforeAnyIsCounted()
    {
        var json = $$"""{"model":"m","messages":[{"role":"user","content":[{{Repeat("{}", 100_000)}}]}]}""";

        AssertTooMany(Reject(ApiKind.ChatCompletions, json), "messages[0].content");
    }

    [Fact]
    public void Inspect_EmptyPartsSpreadOverMessages_Is400BeyondTheRequestsMediaLimit()
    {
        var json = $$"""{"model":"m","messages":[{{Repeat("""{"role":"user","content":[{}]}""", 1_001)}}]}""";

        var error = Reject(ApiKind.ChatCompletions, json);

        AssertTooMany(error, "messages");
        Assert.Contains("at most 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_DefaultLimits_AcceptWhatRealClientsSend()
    {
        var parts = Repeat("""{"type":"text","text":"a"}""", 500) + "," + Repeat("""{"type":"image_url","image_url":{"url":"data:x"}}""", 500);
        var json = $$"""
            {"model":"m","tools":[{{Repeat("""{"type":"function","function":{"name":"f"}}""", 128)}}],
             "messages":[{{Repeat("""{"role":"user","content":"hi"}""", 2_000)}},{"role":"user","content":[{{parts}}]}]}
            """;

        var request = Inspect(ApiKind.ChatCompletions, json);

        Assert.Equal((2_001, 500, 128), (request.Messages.Count, request.NonTextParts, request.Tools.Count));
    }

    [Theory]
    [InlineData("ChatCompletions", """{"messages":[{"role":"a"},{"role":"b"},{"role":"c"},{"role":"d"}]}""", "messages")]
    [InlineData("ChatCompletions", """{"messages":[{"role":"u","content":[{"text":"a"},{"text":"b"},{"text":"c"}]}]}""", "messages[0].content")]
    [InlineData("ChatCompletions", """{"messages":[{"role":"u","content":[{}]},{"role":"u","content":[{},{}]}]}""", "messages")]
    [InlineData("ChatCompletions", """{"messages":[{"role":"a","tool_calls":[{},{},{}]}]}""", "messages[0].tool_calls")]
    [InlineData("ChatCompletions", """{"messages":[],"tools":[{},{},{}]}""", "tools")]
    [InlineData("Responses", """{"input":[{"role":"a"},{"role":"b"},{"role":"c"},{"role":"d"}]}""", "input")]
    [InlineData("Responses", """{"input":[{"type":"function_call_output","output":[{},{},{}]}]}""", "input[0].output")]
    [InlineData("Responses", """{"input":[{"role":"u","content":[{}]},{"type":"function_call_output","output":[{},{}]}]}""", "input")]
    [InlineData("Embeddings", """{"input":["","","",""]}""", "input")]
    [InlineData("Embeddings", """{"input":[[1],[2],[3],[4]]}""", "input")]
    [InlineData("Embeddings", """{"input":[1,"","","",""]}""", "input")]
    [InlineData("Completions", """{"prompt":["a","b","c","d"]}""", "prompt")]
    [InlineData("Rerank", """{"query":"q","documents":["a","b","c","d"]}""", "documents")]
    [InlineData("Rerank", """{"query":"q","texts":["a","b","c","d"]}""", "texts")]
    public void Inspect_OneItemBeyondALimit_Is400NamingTheArray(string kind, string json, string param)
    {
        AssertTooMany(Reject(Enum.Parse<ApiKind>(kind), json, Small), param);
    }

    [Theory]
    [InlineData("ChatCompletions", """{"messages":[{"role":"a"},{"role":"b","content":[{},{"text":"x"}]},{"role":"c","tool_calls":[{},{}],"content":[{}]}],"tools":[{},{}]}""")]
    [InlineData("Responses", """{"input":[{"role":"a"},{"role":"b","content":[{},{}]},{"type":"function_call_output","output":[{"text":"x"}]}]}""")]
    [InlineData("Embeddings", """{"input":["a",[1,2],""]}""")]
    [InlineData("Rerank", """{"query":"q","documents":["a","b","c"]}""")]
    public void Inspect_EveryArrayAtItsLimit_IsAccepted(string kind, string json)
    {
        Assert.NotNull(Inspect(Enum.Parse<ApiKind>(kind), json, Small));
    }

    [Fact]
    public void Inspect_FlatTokenIdPromptLongerThanMaxInputs_IsOnePrompt()
    {
        var request = Inspect(ApiKind.Completions, $$"""{"prompt":[{{Repeat("7", 50)}}]}""", Small);

        Assert.Equal(50, request.PretokenizedTokens);
    }

    [Fact]
    public void Load_LimitsSection_BindsStrictlyWithRanges()
    {
        var loaded = TestConfigs.Load("inspection:\n  maxMessages: 20\n  maxMediaParts: 0\n");

        Assert.Equal((20, 0, 1_000), (loaded.Config.Inspection.MaxMessages, loaded.Config.Inspection.MaxMediaParts, loaded.Config.Inspection.MaxContentParts));
        Assert.Contains(TestConfigs.Errors("inspection:\n  maxMessages: 0\n"), e => e.Contains("inspection.maxMessages", StringComparison.Ordinal));
        Assert.Contains(TestConfigs.Errors("inspection:\n  maxMesages: 5\n"), e => e.Contains("did you mean 'maxMessages'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunRequestAsync_MostEmptyPartsAccepted_CountAtMostTheMediaLimitTimesThePartTokens()
    {
        using var harness = new PipelineHarness(ServerConfig.Defaults());
        var body = $$"""{"model":"m","messages":[{"role":"user","content":[{{Repeat("{}", 1_000)}}]}]}""";

        var run = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", body);

        Assert.InRange(run.Decision!.PromptTokens, 85_000, 85_000 + 16);
    }

    [Fact]
    public async Task RunRequestAsync_ConfiguredLimit_IsTheOneTheServerApplies()
    {
        using var harness = new PipelineHarness(TestConfigs.Load("inspection:\n  maxMessages: 1\n"));

        var run = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", """{"messages":[{"role":"a"},{"role":"b"}]}""");

        Assert.Equal(("too_many_items", "messages"), (run.Error?.Kind, run.Error?.Param));
    }
}
