using System.Text;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Responses;

namespace AiSidecar.ExtProc.Tests.Responses;

public sealed class IncludeUsageTests
{
    [Theory]
    [InlineData("""{"model":"m","stream":true}""", """{"model":"m","stream":true,"stream_options":{"include_usage":true}}""")]
    [InlineData("""{"model":"m","stream_options":{"continuous_usage_stats":true},"stream":true}""", """{"model":"m","stream_options":{"continuous_usage_stats":true,"include_usage":true},"stream":true}""")]
    [InlineData("""{"stream_options":{"include_usage":false, "x":1},"stream":true}""", """{"stream_options":{"x":1,"include_usage":true},"stream":true}""")]
    [InlineData("""{"stream_options":null,"stream":true,"stream_options":{"a":1}}""", """{"stream_options":{"include_usage":true},"stream":true}""")]
    public void Inject_Body_SetsIncludeUsageAndKeepsEverythingElse(string body, string expected)
    {
        var injected = Encoding.UTF8.GetString(IncludeUsage.Inject(Encoding.UTF8.GetBytes(body)).Span);

        Assert.Equal(expected, injected);
        Assert.True(IncludeUsage.Requested(Encoding.UTF8.GetBytes(injected)));
    }

    [Theory]
    [InlineData("""{"stream":true}""", false)]
    [InlineData("""{"stream_options":{"include_usage":false}}""", false)]
    [InlineData("""{"stream_options":{"include_usage":true}}""", true)]
    [InlineData("""{"stream_options":"include_usage"}""", false)]
    public void Requested_Body_ReadsTheClientsChoice(string body, bool requested) =>
        Assert.Equal(requested, IncludeUsage.Requested(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public async Task Process_InjectingModelWithVersion_KeepsTheServedNameRewrite()
    {
        using var harness = new UsageHarness(UsageHarness.InjectingConfig);

        var exchange = await harness.RequestAsync(ApiKind.ChatCompletions, "/v1/chat/completions", ResponseShapesTests.Chat(true));

        var body = Encoding.UTF8.GetString(exchange.ReplacementBody!.Value.Span);
        Assert.StartsWith("{\"model\":\"Qwen/Qwen3-8B", body, StringComparison.Ordinal);
        Assert.EndsWith(",\"stream_options\":{\"include_usage\":true}}", body, StringComparison.Ordinal);
        Assert.True(exchange.Usage!.RemoveUsageChunk);
    }

    [Theory]
    [InlineData(false, "/v1/chat/completions")]
    [InlineData(true, "/v1/embeddings")]
    public async Task Process_NotAStreamedChat_BodyNotInjected(bool injecting, string path)
    {
        using var harness = new UsageHarness(injecting ? UsageHarness.InjectingConfig : null);
        var (kind, body) = path == "/v1/embeddings"
            ? (ApiKind.Embeddings, """{"model":"bge-m3","input":"hi","stream":true}""")
            : (ApiKind.ChatCompletions, ResponseShapesTests.Chat(true));

        var exchange = await harness.RequestAsync(kind, path, body);

        Assert.DoesNotContain("include_usage", Encoding.UTF8.GetString((exchange.ReplacementBody ?? exchange.Body).Span), StringComparison.Ordinal);
        Assert.False(exchange.Usage!.RemoveUsageChunk);
    }
}
