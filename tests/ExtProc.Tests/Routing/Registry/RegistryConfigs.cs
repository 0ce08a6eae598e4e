using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Routing.Registry;

namespace AiSidecar.ExtProc.Tests.Routing.Registry;

/// <summary>A small valid registry, built fresh for each test to be changed at will.</summary>
internal static class RegistryConfigs
{
    /// <summary>qwen3-8b (alias qwen3) 90/10 stable/canary on llm-chat, bge-m3 on llm-embed, rerank on llm-rerank.</summary>
    public static RoutingOptions Canary(decimal stable = 90m, decimal canary = 10m) => new()
    {
        Registry = new ModelRegistryOptions
        {
            Stickiness = new StickinessOptions { Keys = [new() { Header = "x-user-id" }, new() { Field = "user" }] },
            Pools =
            [
                new() { Name = "llm-chat", Apis = ["chat", "completions", "responses"] },
                new() { Name = "llm-embed", Apis = ["embeddings"] },
                new() { Name = "llm-rerank", Apis = ["rerank"] },
            ],
            Aliases = [new() { Name = "gpt-4o", Target = "qwen3" }],
            Models =
            [
                new()
                {
                    Name = "qwen3-8b",
                    Aliases = ["qwen3"],
                    Apis = ["chat", "completions", "responses"],
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
                    Apis = ["embeddings"],
                    Versions = [new() { Name = "v1", Pool = "llm-embed", ServedModel = "BAAI/bge-m3" }],
                },
                new()
                {
                    Name = "bge-reranker",
                    Apis = ["rerank"],
                    Versions = [new() { Name = "v1", Pool = "llm-rerank" }],
                },
            ],
        },
    };

    public static ModelOptions Qwen(RoutingOptions options) => options.Registry.Models[0];

    /// <summary>The validation errors of <paramref name="options"/> (defaults applied first, as the server does).</summary>
    public static List<string> ErrorsOf(RoutingOptions options)
    {
        options.ApplyDefaults();
        return new RoutingOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];
    }
}
