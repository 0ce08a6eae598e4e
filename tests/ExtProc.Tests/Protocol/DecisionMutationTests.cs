using System.Text;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Protocol;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Protocol;

public sealed class DecisionMutationTests
{
    /// <summary>Replaces the forwarded body once the decision is made.</summary>
    private sealed class RewritingStage(string body) : IRequestStage
    {
        public int Order => StageOrder.Route + 1;

        public string Name => "rewrite-all";

        public ValueTask<StageResult> ProcessAsync(Exchange exchange)
        {
            exchange.ReplacementBody = Encoding.UTF8.GetBytes(body);
            return ValueTask.FromResult(StageResult.Continue);
        }
    }

    private static Action<IServiceCollection> Rewriting(string body) => services => services.AddSingleton<IRequestStage>(new RewritingStage(body));

    /// <summary>An exchange with a decision, as the stages leave it.</summary>
    private static async Task<Exchange> DecidedAsync(RoutingDecision decision)
    {
        using var harness = new PipelineHarness(AiSidecar.ExtProc.Configuration.ServerConfig.Defaults());
        var exchange = harness.NewExchange(ApiKind.Completions, "/v1/completions", "{}");
        exchange.Decision = decision;
        await exchange.EndAsync(ExchangeEnding.Completed);
        return exchange;
    }

    [Fact]
    public async Task HandleAsync_BufferedReplacedBodyWithContentLength_RestampsContentLength()
    {
        const string replaced = """{"model":"served-name","prompt":"x"}""";
        using var harness = new StreamHarness(configure: Rewriting(replaced));
        await harness.SendAsync(StreamHarness.Headers("/v1/completions", extra: ("content-length", "14")));

        await harness.SendAsync(StreamHarness.Body("""{"prompt":"x"}"""));

        var response = harness.Replies[^1].RequestBody.Response;
        Assert.Equal(replaced, response.BodyMutation.Body.ToStringUtf8());
        Assert.Equal(Encoding.UTF8.GetByteCount(replaced).ToString(System.Globalization.CultureInfo.InvariantCulture), StreamHarness.SetHeaders(response)["content-length"]);
    }

    [Fact]
    public async Task HandleAsync_ReplacedBodyWithoutContentLength_DoesNotAddOne()
    {
        using var harness = new StreamHarness(configure: Rewriting("{}"));
        await harness.SendAsync(StreamHarness.Headers("/v1/completions"));

        await harness.SendAsync(StreamHarness.Body("""{"prompt":"x"}"""));

        Assert.False(StreamHarness.SetHeaders(harness.Replies[^1].RequestBody.Response).ContainsKey("content-length"));
    }

    [Fact]
    public async Task HandleAsync_FullDuplexReplacedBody_StreamsReplacementWithoutContentLength()
    {
        using var harness = new StreamHarness(StreamHarness.Mode("FULL_DUPLEX_STREAMED"), Rewriting("{\"new\":1}"));
        await harness.SendAsync(StreamHarness.Headers("/v1/completions", extra: ("content-length", "14")));

        await harness.SendAsync(StreamHarness.Body("""{"prompt":"x"}"""));

        Assert.False(StreamHarness.SetHeaders(harness.Replies[0].RequestHeaders.Response).ContainsKey("content-length"));
        Assert.Equal("{\"new\":1}", harness.Replies[1].RequestBody.Response.BodyMutation.StreamedResponse.Body.ToStringUtf8());
    }

    [Fact]
    public async Task Build_VersionDecisionWithRewrittenPath_SetsPathVersionAndVariant()
    {
        var decision = new RoutingDecision("qwen3-8b", 3, "small", "llm-chat") { Version = "v2", Variant = "canary", RewrittenPath = "/v1/chat/completions" };

        var response = DecisionMutation.Build(await DecidedAsync(decision), replaceBody: true, restampLength: false);

        var set = StreamHarness.SetHeaders(response);
        Assert.Equal(("/v1/chat/completions", "v2", "canary"), (set[":path"], set["x-ai-version"], set["x-ai-variant"]));
        Assert.True(response.ClearRouteCache);
    }

    [Fact]
    public async Task Build_UpperBoundCount_SaysTheCountIsNotExact()
    {
        var decision = new RoutingDecision("m", 70_000, "large", "llm-large") { PromptTokensExact = false };

        var response = DecisionMutation.Build(await DecidedAsync(decision), replaceBody: true, restampLength: false);

        Assert.Equal(("70000", "false"), (StreamHarness.SetHeaders(response)["x-ai-prompt-tokens"], StreamHarness.SetHeaders(response)["x-ai-prompt-tokens-exact"]));
    }

    [Fact]
    public async Task Build_ExactCount_RemovesTheExactnessHeader()
    {
        var response = DecisionMutation.Build(await DecidedAsync(new RoutingDecision("m", 3, "small", "llm-small")), replaceBody: true, restampLength: false);

        Assert.Contains("x-ai-prompt-tokens-exact", response.HeaderMutation.RemoveHeaders);
        Assert.False(StreamHarness.SetHeaders(response).ContainsKey("x-ai-prompt-tokens-exact"));
    }

    [Fact]
    public async Task Build_DecisionWithoutVersion_RemovesVersionAndVariantAndLeavesPath()
    {
        var response = DecisionMutation.Build(await DecidedAsync(new RoutingDecision("m", 3, "small", "llm-small")), replaceBody: true, restampLength: false);

        Assert.Contains("x-ai-version", response.HeaderMutation.RemoveHeaders);
        Assert.Contains("x-ai-variant", response.HeaderMutation.RemoveHeaders);
        Assert.False(StreamHarness.SetHeaders(response).ContainsKey(":path"));
    }
}
