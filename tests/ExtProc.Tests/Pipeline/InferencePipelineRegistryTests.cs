using System.Text;
using System.Text.Json;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.ExtProc.Tests.Routing.Registry;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Tests.Pipeline;

public sealed class InferencePipelineRegistryTests
{
    private sealed class RecordingCounter : ITokenCounter
    {
        public InferenceRequest? Counted { get; private set; }

        public string Name => "recording";

        public int CountPrompt(InferenceRequest request)
        {
            Counted = request;
            return 42;
        }
    }

    private readonly RecordingCounter _counter = new();
    private readonly FixedRoutingTables _tables = new(RegistryConfigs.Canary());

    private PipelineOutcome Run(ApiKind kind, string path, string body, params (string Name, string Value)[] headers)
    {
        var pipeline = new InferencePipeline(new RequestInspector(), _counter, _tables);
        var values = new RequestHeaderValues(headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)));
        return pipeline.Run(new RequestContext(kind, path, values, _tables.Current), Encoding.UTF8.GetBytes(body));
    }

    [Fact]
    public void Run_AliasWithStickyUser_DecidesModelVersionVariantPoolAndRewritesModel()
    {
        var outcome = Run(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat("hi", "qwen3"), ("x-user-id", "alice"));

        var decision = outcome.Decision!;
        Assert.Equal(("qwen3-8b", "qwen3", "v1", "stable", "llm-chat"), (decision.Model, decision.RequestedModel, decision.Version, decision.Variant, decision.Pool));
        Assert.Equal(("weighted", 5490, "small", 42), (decision.Selection, decision.Bucket, decision.TokenRange, decision.PromptTokens));
        Assert.Equal("Qwen/Qwen3-8B", JsonDocument.Parse(outcome.ReplacementBody!.Value).RootElement.GetProperty("model").GetString());
        Assert.Equal("Qwen/Qwen3-8B", _counter.Counted!.Model);
        Assert.Null(decision.RewrittenPath);
    }

    [Fact]
    public void Run_BodyAlreadyNamesTheServedModel_KeepsTheBody()
    {
        // bge-reranker serves under its own name (no servedModel set).
        var outcome = Run(ApiKind.Rerank, "/v1/rerank", InferenceBodies.Rerank("q", "d", "bge-reranker"));

        Assert.Equal(("bge-reranker", "llm-rerank"), (outcome.Decision!.ServedModel, outcome.Decision.Pool));
        Assert.Null(outcome.ReplacementBody);
    }

    [Fact]
    public void Run_ServedNameIsNotARegistryName_Is404()
    {
        var outcome = Run(ApiKind.Embeddings, "/v1/embeddings", InferenceBodies.Embedding("x", "BAAI/bge-m3"));

        Assert.Equal("model_not_found", outcome.Error?.Kind);
    }

    [Fact]
    public void Run_ExperimentHeader_PinsTheCanary()
    {
        var decision = Run(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat("hi", "qwen3-8b"), ("x-experiment", "qwen-fp8")).Decision!;

        Assert.Equal(("v2", "canary", "experiment", "Qwen/Qwen3-8B-FP8"), (decision.Version, decision.Variant, decision.Selection, decision.ServedModel));
    }

    [Fact]
    public void Run_UnknownExperiment_Is400()
    {
        var outcome = Run(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat("hi", "qwen3"), ("x-experiment", "v2"));

        Assert.Equal((400, "unknown_experiment"), (outcome.Error!.Status, outcome.Error.Kind));
    }

    [Fact]
    public void Run_UnknownModel_Is404ModelNotFound()
    {
        var outcome = Run(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat("hi", "llama"));

        Assert.Equal((404, "model_not_found", "model_not_found"), (outcome.Error!.Status, outcome.Error.Kind, outcome.Error.Code));
    }

    [Fact]
    public void Run_ModelOnAnApiItDoesNotServe_Is400UnsupportedApi()
    {
        var outcome = Run(ApiKind.Embeddings, "/v1/embeddings", InferenceBodies.Embedding("x", "qwen3"));

        Assert.Equal((400, "unsupported_api"), (outcome.Error!.Status, outcome.Error.Kind));
    }

    [Theory]
    [InlineData(ApiKind.Embeddings, "/v1/embeddings", "llm-embed")]
    [InlineData(ApiKind.Rerank, "/v1/rerank", "llm-rerank")]
    [InlineData(ApiKind.ChatCompletions, "/v1/chat/completions", "llm-chat")]
    public void Run_EachApi_GoesToItsOwnPool(ApiKind kind, string path, string pool)
    {
        var body = kind switch
        {
            ApiKind.Embeddings => InferenceBodies.Embedding("x", "bge-m3"),
            ApiKind.Rerank => InferenceBodies.Rerank("q", "d", "bge-reranker"),
            _ => InferenceBodies.Chat("x", "qwen3"),
        };

        Assert.Equal(pool, Run(kind, path, body).Decision!.Pool);
    }

    [Fact]
    public void Run_CompletionsWithChatModelType_ConvertsBodyAndPath()
    {
        var outcome = Run(ApiKind.Completions, "/v1/completions?x=1", """{"model":"qwen3","prompt":"Say hi","max_tokens":7}""", ("x-model-type", "chat"));

        var decision = outcome.Decision!;
        Assert.Equal("/v1/chat/completions?x=1", decision.RewrittenPath);
        var body = JsonDocument.Parse(outcome.ReplacementBody!.Value).RootElement;
        Assert.Equal("Qwen/Qwen3-8B", body.GetProperty("model").GetString());
        Assert.Equal("Say hi", body.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal(7, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal(ApiKind.ChatCompletions, _counter.Counted!.Kind);
    }

    [Fact]
    public void Run_TokenPromptWithChatModelType_Is400()
    {
        var outcome = Run(ApiKind.Completions, "/v1/completions", """{"model":"qwen3","prompt":[1,2]}""", ("x-model-type", "chat"));

        Assert.Equal(("invalid_field", "prompt"), (outcome.Error!.Kind, outcome.Error.Param));
    }

    [Fact]
    public void Run_ChatModelTypeOnChatPath_IsNotConverted()
    {
        var outcome = Run(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat("x", "qwen3-8b"), ("x-model-type", "chat"));

        Assert.Null(outcome.Decision!.RewrittenPath);
    }

    [Fact]
    public void Run_MissingModelWithoutDefault_IsMissingField()
    {
        Assert.Equal("missing_field", Run(ApiKind.Completions, "/v1/completions", """{"prompt":"x"}""").Error!.Kind);
    }
}
