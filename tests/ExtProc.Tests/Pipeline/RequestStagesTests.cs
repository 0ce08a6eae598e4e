using System.Text.Json;
using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Tests.Catalogue;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.ExtProc.Tokenization;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Pipeline;

/// <summary>The shipped request stages in order: inspect → resolve → select → rewrite → count → route.</summary>
public sealed class RequestStagesTests : IDisposable
{
    private readonly PipelineHarness _canary = new(CatalogueConfigs.Canary());

    /// <summary>Replaces the real count with 5,000 tokens (it runs right after the count stage).</summary>
    private sealed class Count5000Stage : IRequestStage
    {
        public int Order => StageOrder.Count + 1;

        public string Name => "count-5000";

        public ValueTask<StageResult> ProcessAsync(Exchange exchange)
        {
            exchange.PromptTokens = 5000;
            return ValueTask.FromResult(StageResult.Continue);
        }
    }

    private Task<PipelineRun> Run(ApiKind kind, string path, string body, params (string Name, string Value)[] headers) =>
        _canary.RunAsync(kind, path, body, headers);

    public void Dispose() => _canary.Dispose();

    [Fact]
    public void RequestStages_DefaultServices_RunInStageOrder()
    {
        Assert.Equal(["body-budget", "inspect", "resolve", "select", "prioritize", "rewrite", "count", "route", "admission", "usage"], _canary.Pipeline.RequestStages.Select(s => s.Name));
    }

    [Fact]
    public async Task RunRequestAsync_AliasWithStickyUser_DecidesModelVersionVariantPoolAndRewritesModel()
    {
        var run = await Run(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat("hi", "qwen3"), ("x-user-id", "alice"));

        var decision = run.Decision!;
        Assert.Equal(("qwen3-8b", "qwen3", "v1", "stable", "llm-chat"), (decision.Model, decision.RequestedModel, decision.Version, decision.Variant, decision.Pool));
        Assert.Equal(("weighted", 5490, "small"), (decision.Selection, decision.Bucket, decision.TokenRange));
        Assert.Equal("Qwen/Qwen3-8B", JsonDocument.Parse(run.ReplacementBody!.Value).RootElement.GetProperty("model").GetString());
        Assert.Equal("Qwen/Qwen3-8B", run.Exchange.UpstreamRequest!.Model);
        Assert.Null(decision.RewrittenPath);
    }

    [Fact]
    public async Task RunRequestAsync_BodyAlreadyNamesTheServedModel_KeepsTheBody()
    {
        // bge-reranker serves under its own name (no servedModel set).
        var run = await Run(ApiKind.Rerank, "/v1/rerank", InferenceBodies.Rerank("q", "d", "bge-reranker"));

        Assert.Equal(("bge-reranker", "llm-rerank"), (run.Decision!.ServedModel, run.Decision.Pool));
        Assert.Null(run.ReplacementBody);
    }

    [Fact]
    public async Task RunRequestAsync_ServedNameIsNotACatalogueName_Is404()
    {
        var run = await Run(ApiKind.Embeddings, "/v1/embeddings", InferenceBodies.Embedding("x", "BAAI/bge-m3"));

        Assert.Equal("model_not_found", run.Error?.Kind);
    }

    [Fact]
    public async Task RunRequestAsync_ExperimentHeader_PinsTheCanary()
    {
        var decision = (await Run(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat("hi", "qwen3-8b"), ("x-experiment", "qwen-fp8"))).Decision!;

        Assert.Equal(("v2", "canary", "experiment", "Qwen/Qwen3-8B-FP8"), (decision.Version, decision.Variant, decision.Selection, decision.ServedModel));
    }

    [Fact]
    public async Task RunRequestAsync_UnknownExperiment_RoutesAsWithoutTheHeader()
    {
        var decision = (await Run(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat("hi", "qwen3"), ("x-experiment", "v2"))).Decision!;

        Assert.Equal(("v1", "stable", "primary"), (decision.Version, decision.Variant, decision.Selection));
    }

    [Fact]
    public async Task RunRequestAsync_UnknownModelWhenRejected_Is404ModelNotFound()
    {
        var run = await Run(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat("hi", "llama"));

        Assert.Equal((404, "model_not_found", "model_not_found"), (run.Error!.Status, run.Error.Kind, run.Error.Code));
    }

    [Fact]
    public async Task RunRequestAsync_ModelOnAnApiItDoesNotServe_Is400UnsupportedApi()
    {
        var run = await Run(ApiKind.Embeddings, "/v1/embeddings", InferenceBodies.Embedding("x", "qwen3"));

        Assert.Equal((400, "unsupported_api"), (run.Error!.Status, run.Error.Kind));
    }

    [Theory]
    [InlineData("/v1/embeddings", "llm-embed")]
    [InlineData("/v1/rerank", "llm-rerank")]
    [InlineData("/v1/chat/completions", "llm-chat")]
    public async Task RunRequestAsync_EachApi_GoesToItsOwnPool(string path, string pool)
    {
        Assert.True(InferenceRoutes.TryMatch("POST", path, hasBody: true, out var kind));
        var body = kind switch
        {
            ApiKind.Embeddings => InferenceBodies.Embedding("x", "bge-m3"),
            ApiKind.Rerank => InferenceBodies.Rerank("q", "d", "bge-reranker"),
            _ => InferenceBodies.Chat("x", "qwen3"),
        };

        Assert.Equal(pool, (await Run(kind, path, body)).Decision!.Pool);
    }

    [Fact]
    public async Task RunRequestAsync_CompletionsWithChatModelType_ConvertsBodyAndPath()
    {
        var run = await Run(ApiKind.Completions, "/v1/completions?x=1", """{"model":"qwen3","prompt":"Say hi","max_tokens":7}""", ("x-model-type", "chat"));

        Assert.Equal("/v1/chat/completions?x=1", run.Decision!.RewrittenPath);
        var body = JsonDocument.Parse(run.ReplacementBody!.Value).RootElement;
        Assert.Equal("Qwen/Qwen3-8B", body.GetProperty("model").GetString());
        Assert.Equal("Say hi", body.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal(7, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal(ApiKind.ChatCompletions, run.Exchange.UpstreamRequest!.Kind);
    }

    [Fact]
    public async Task RunRequestAsync_TokenPromptWithChatModelType_Is400()
    {
        var run = await Run(ApiKind.Completions, "/v1/completions", """{"model":"qwen3","prompt":[1,2]}""", ("x-model-type", "chat"));

        Assert.Equal(("invalid_field", "prompt"), (run.Error!.Kind, run.Error.Param));
    }

    [Fact]
    public async Task RunRequestAsync_ChatModelTypeOnChatPath_IsNotConverted()
    {
        var run = await Run(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat("x", "qwen3-8b"), ("x-model-type", "chat"));

        Assert.Null(run.Decision!.RewrittenPath);
    }

    [Fact]
    public async Task RunRequestAsync_MissingModelWhenRejected_IsMissingField()
    {
        Assert.Equal("missing_field", (await Run(ApiKind.Completions, "/v1/completions", """{"prompt":"x"}""")).Error!.Kind);
    }

    [Fact]
    public async Task RunRequestAsync_UnknownModelWithDefaultPolicy_TakesTheDefaultModel()
    {
        var config = CatalogueConfigs.Canary();
        config.Catalogue.UnknownModels = UnknownModelPolicy.Default;
        config.Catalogue.DefaultModel = "qwen3";
        using var harness = new PipelineHarness(config);

        var run = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat("hi", "llama"));

        Assert.Equal(("qwen3-8b", "llama", "v1"), (run.Decision!.Model, run.Decision.RequestedModel, run.Decision.Version));
    }

    [Fact]
    public async Task RunRequestAsync_UnknownModelRouted_GoesToItsRangesPoolUnderItsOwnName()
    {
        using var harness = new PipelineHarness(ServerConfig.Defaults(), s => s.AddRequestStage<Count5000Stage>());

        var run = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat("hi", "qwen3"));

        var decision = run.Decision!;
        Assert.Equal(("qwen3", 5000, "medium", "llm-medium"), (decision.Model, decision.PromptTokens, decision.TokenRange, decision.Pool));
        Assert.Null(decision.Version);
        Assert.Null(run.ReplacementBody);
    }

    [Fact]
    public async Task RunRequestAsync_ModelWithoutVersions_RoutesByRangeUnderItsCanonicalName()
    {
        var config = ServerConfig.Defaults();
        config.Catalogue.UnknownModels = UnknownModelPolicy.Reject;
        config.Catalogue.Models = [new ModelOptions { Name = "llama-3.1-8b", Aliases = ["meta-llama/*"] }];
        using var harness = new PipelineHarness(config);

        var known = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat("hi", "meta-llama/Llama-3.1-8B-Instruct"));
        var unknown = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat("hi", "mistral"));

        Assert.Equal(("llama-3.1-8b", "small", "llm-small"), (known.Decision!.Model, known.Decision.TokenRange, known.Decision.Pool));
        Assert.Equal("model_not_found", unknown.Error!.Kind);
    }

    [Fact]
    public async Task RunRequestAsync_TokenizerFailedAndRefused_Answers503TokenizerUnavailable()
    {
        var config = ServerConfig.Defaults();
        config.Tokenization.RefuseOnLoadFailure = true;
        config.Catalogue.Models = [new ModelOptions { Name = "qwen3", Tokenizer = new TokenizerOptions { File = "/nonexistent/tokenizer.json" } }];
        using var harness = new PipelineHarness(config);

        var run = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat("hi", "qwen3"));

        Assert.Equal((503, "tokenizer_unavailable"), (run.Error!.Status, run.Error.Kind));
    }

    [Fact]
    public async Task RunRequestAsync_VersionWithItsOwnTokenizer_CountsWithIt()
    {
        var config = CatalogueConfigs.Canary();
        CatalogueConfigs.Qwen(config).Versions[1].Tokenizer = new TokenizerOptions { Encoding = TiktokenEncoding.Cl100kBase };
        using var harness = new PipelineHarness(config);
        var text = string.Concat(Enumerable.Repeat("ünïcödé 日本語 text ", 20));

        var stable = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat(text, "qwen3"));
        var canary = await harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", InferenceBodies.Chat(text, "qwen3"), ("x-experiment", "qwen-fp8"));

        var tokenizers = harness.Services.GetRequiredService<TokenizerCache>();
        Assert.Equal(("v1", "v2"), (stable.Decision!.Version, canary.Decision!.Version));
        Assert.Equal(tokenizers.Default.Resolve().Count(stable.Exchange.UpstreamRequest!).Tokens, stable.Decision.PromptTokens);
        Assert.Equal(tokenizers.For(new TokenizerOptions { Encoding = TiktokenEncoding.Cl100kBase }).Resolve().Count(canary.Exchange.UpstreamRequest!).Tokens, canary.Decision.PromptTokens);
        Assert.NotEqual(stable.Decision.PromptTokens, canary.Decision.PromptTokens);
    }
}
