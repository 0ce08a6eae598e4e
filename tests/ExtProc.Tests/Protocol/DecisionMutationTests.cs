using System.Text;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Protocol;
using AiSidecar.ExtProc.Routing;

namespace AiSidecar.ExtProc.Tests.Protocol;

public sealed class DecisionMutationTests
{
    private sealed class RewritingPipeline(string body) : IInferencePipeline
    {
        public PipelineOutcome Run(ApiKind kind, ReadOnlyMemory<byte> original) =>
            PipelineOutcome.Route(new RoutingDecision("m", 3, "small", "llm-small"), Encoding.UTF8.GetBytes(body));

        public PipelineOutcome Run(RequestContext context, ReadOnlyMemory<byte> original) => Run(context.Kind, original);
    }

    [Fact]
    public async Task HandleAsync_BufferedReplacedBodyWithContentLength_RestampsContentLength()
    {
        const string replaced = """{"model":"served-name","prompt":"x"}""";
        using var harness = new StreamHarness(pipeline: new RewritingPipeline(replaced));
        await harness.SendAsync(StreamHarness.Headers("/v1/completions", extra: ("content-length", "12")));

        await harness.SendAsync(StreamHarness.Body("""{"prompt":1}"""));

        var response = harness.Replies[^1].RequestBody.Response;
        Assert.Equal(replaced, response.BodyMutation.Body.ToStringUtf8());
        Assert.Equal(Encoding.UTF8.GetByteCount(replaced).ToString(System.Globalization.CultureInfo.InvariantCulture), StreamHarness.SetHeaders(response)["content-length"]);
    }

    [Fact]
    public async Task HandleAsync_ReplacedBodyWithoutContentLength_DoesNotAddOne()
    {
        using var harness = new StreamHarness(pipeline: new RewritingPipeline("{}"));
        await harness.SendAsync(StreamHarness.Headers("/v1/completions"));

        await harness.SendAsync(StreamHarness.Body("""{"prompt":1}"""));

        Assert.False(StreamHarness.SetHeaders(harness.Replies[^1].RequestBody.Response).ContainsKey("content-length"));
    }

    [Fact]
    public async Task HandleAsync_FullDuplexReplacedBody_StreamsReplacementWithoutContentLength()
    {
        using var harness = new StreamHarness(StreamHarness.Mode("FULL_DUPLEX_STREAMED"), new RewritingPipeline("{\"new\":1}"));
        await harness.SendAsync(StreamHarness.Headers("/v1/completions", extra: ("content-length", "12")));

        await harness.SendAsync(StreamHarness.Body("""{"prompt":1}"""));

        Assert.False(StreamHarness.SetHeaders(harness.Replies[0].RequestHeaders.Response).ContainsKey("content-length"));
        Assert.Equal("{\"new\":1}", harness.Replies[1].RequestBody.Response.BodyMutation.StreamedResponse.Body.ToStringUtf8());
    }

    [Fact]
    public void Build_RegistryDecisionWithRewrittenPath_SetsPathVersionAndVariant()
    {
        var decision = new RoutingDecision("qwen3-8b", 3, "small", "llm-chat") { Version = "v2", Variant = "canary", RewrittenPath = "/v1/chat/completions" };

        var response = DecisionMutation.Build(PipelineOutcome.Route(decision), new RoutingHeaderNames(), replaceBody: true, restampLength: false);

        var set = StreamHarness.SetHeaders(response);
        Assert.Equal(("/v1/chat/completions", "v2", "canary"), (set[":path"], set["x-ai-version"], set["x-ai-variant"]));
        Assert.True(response.ClearRouteCache);
    }

    [Fact]
    public void Build_DecisionWithoutRegistry_RemovesVersionAndVariantAndLeavesPath()
    {
        var response = DecisionMutation.Build(PipelineOutcome.Route(new RoutingDecision("m", 3, "small", "llm-small")), new RoutingHeaderNames(), replaceBody: true, restampLength: false);

        Assert.Contains("x-ai-version", response.HeaderMutation.RemoveHeaders);
        Assert.Contains("x-ai-variant", response.HeaderMutation.RemoveHeaders);
        Assert.False(StreamHarness.SetHeaders(response).ContainsKey(":path"));
    }
}
