using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Catalogue;

/// <summary>A small valid catalogue, built fresh for each test to be changed at will.</summary>
internal static class CatalogueConfigs
{
    /// <summary>qwen3-8b (alias qwen3) 90/10 stable/canary on llm-chat, bge-m3 on llm-embed, rerank on llm-rerank; 404 for unknown models.</summary>
    public static ServerConfig Canary(decimal stable = 90m, decimal canary = 10m) => TestConfigs.With(
        new CatalogueOptions
        {
            UnknownModels = UnknownModelPolicy.Reject,
            Pools =
            [
                new() { Name = "llm-chat", Apis = [ApiKind.ChatCompletions, ApiKind.Completions, ApiKind.Responses] },
                new() { Name = "llm-embed", Apis = [ApiKind.Embeddings] },
                new() { Name = "llm-rerank", Apis = [ApiKind.Rerank] },
            ],
            Aliases = [new() { Name = "gpt-4o", Target = "qwen3" }],
            Models =
            [
                new()
                {
                    Name = "qwen3-8b",
                    Aliases = ["qwen3"],
                    Apis = [ApiKind.ChatCompletions, ApiKind.Completions, ApiKind.Responses],
                    Versions =
                    [
                        new() { Name = "v1", Pool = "llm-chat", ServedModel = "Qwen/Qwen3-8B", Weight = stable },
                        new() { Name = "v2", Pool = "llm-chat", ServedModel = "Qwen/Qwen3-8B-FP8", Weight = canary, Canary = true },
                    ],
                    Experiments = [new() { Value = "qwen-fp8", Version = "v2" }],
                },
                new()
                {
                    Name = "bge-m3",
                    Apis = [ApiKind.Embeddings],
                    Versions = [new() { Name = "v1", Pool = "llm-embed", ServedModel = "BAAI/bge-m3" }],
                },
                new()
                {
                    Name = "bge-reranker",
                    Apis = [ApiKind.Rerank],
                    Versions = [new() { Name = "v1", Pool = "llm-rerank" }],
                },
            ],
        },
        new RoutingOptions { Stickiness = new StickinessOptions { Keys = [new() { Header = "x-user-id" }, new() { Field = StickyKeyField.User }] } });

    public static ModelOptions Qwen(ServerConfig config) => config.Catalogue.Models[0];
}
