using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Routing;

namespace AiSidecar.ExtProc.Tests.Routing;

public sealed class TokenRangeRouterTests
{
    private static TokenRangeRouter Router(params string[] models) =>
        new(new RoutingOptions { Ranges = RoutingOptions.DefaultRanges(), Models = [.. models] });

    private static readonly InferenceRequest Request = new() { Kind = ApiKind.ChatCompletions, Model = "m" };

    [Theory]
    [InlineData(0, "small", "llm-small")]
    [InlineData(1000, "small", "llm-small")]
    [InlineData(1001, "medium", "llm-medium")]
    [InlineData(8000, "medium", "llm-medium")]
    [InlineData(8001, "large", "llm-large")]
    [InlineData(int.MaxValue, "large", "llm-large")]
    public void Decide_DefaultRanges_BoundsAreInclusive(int tokens, string range, string pool)
    {
        var decision = Router().Decide(Request, tokens);

        Assert.Equal(range, decision.TokenRange);
        Assert.Equal(pool, decision.Pool);
        Assert.Equal(tokens, decision.PromptTokens);
        Assert.Equal("m", decision.Model);
    }

    [Fact]
    public void IsServed_NoModelsConfigured_AcceptsAnyModelAndNone()
    {
        Assert.True(Router().IsServed("anything"));
        Assert.True(Router().IsServed(null));
    }

    [Fact]
    public void IsServed_ModelsConfigured_AcceptsOnlyThoseExactly()
    {
        var router = Router("qwen3-8b");

        Assert.True(router.IsServed("qwen3-8b"));
        Assert.False(router.IsServed("Qwen3-8B"));
        Assert.False(router.IsServed(null));
    }
}
