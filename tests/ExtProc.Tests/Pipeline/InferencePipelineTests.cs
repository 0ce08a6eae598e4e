using System.Text;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Tests.Pipeline;

public sealed class InferencePipelineTests
{
    private sealed class FailingCounter : ITokenCounter
    {
        public string Name => "broken";

        public int CountPrompt(InferenceRequest request) => throw new TokenizerUnavailableException("qwen3");
    }

    private sealed class FixedCounter(int tokens) : ITokenCounter
    {
        public string Name => "fixed";

        public int CountPrompt(InferenceRequest request) => tokens;
    }

    private static InferencePipeline Pipeline(ITokenCounter counter, params string[] models) =>
        new(new RequestInspector(), counter, new FixedRoutingTables(new RoutingOptions { Models = [.. models] }));

    private static readonly byte[] Chat = Encoding.UTF8.GetBytes("""{"model":"qwen3","messages":[{"role":"user","content":"hi"}]}""");

    [Fact]
    public void Run_TokenizerRefused_Answers503TokenizerUnavailable()
    {
        var outcome = Pipeline(new FailingCounter()).Run(ApiKind.ChatCompletions, Chat);

        Assert.Equal(503, outcome.Error!.Status);
        Assert.Equal("tokenizer_unavailable", outcome.Error.Kind);
    }

    [Fact]
    public void Run_CountedRequest_DecidesRangeFromTheCount()
    {
        var outcome = Pipeline(new FixedCounter(5000)).Run(ApiKind.ChatCompletions, Chat);

        Assert.Null(outcome.Error);
        Assert.Equal(("qwen3", 5000, "medium", "llm-medium"), (outcome.Decision!.Model, outcome.Decision.PromptTokens, outcome.Decision.TokenRange, outcome.Decision.Pool));
    }

    [Fact]
    public void Run_MissingModelWhenModelsListed_AnswersMissingField()
    {
        var outcome = Pipeline(new FixedCounter(1), "qwen3").Run(ApiKind.Completions, Encoding.UTF8.GetBytes("""{"prompt":"x"}"""));

        Assert.Equal("missing_field", outcome.Error!.Kind);
    }
}
