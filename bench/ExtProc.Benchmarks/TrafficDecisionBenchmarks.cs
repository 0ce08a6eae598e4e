using System.Text.Json;
using AiSidecar.ExtProc.Inspection;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// What the catalogue's versions add to one decision (issue 4 target: under 20 µs): the same chat request through the
/// stages with token ranges only (the model unknown, routed by range), then with a model with versions (alias lookup,
/// sticky hash of the user header, model rewrite of the body), then a completions request converted to chat. The
/// prompt is the same every time, so the count cache serves both sides alike and the difference is the catalogue's work.
/// </summary>
[MemoryDiagnoser]
public class TrafficDecisionBenchmarks
{
    private const string Catalogue = """
        routing:
          stickiness:
            keys: [{ header: x-user-id }]
        catalogue:
          pools: [{ name: llm-chat }]
          models:
            - name: qwen3-8b
              aliases: [qwen3]
              versions:
                - { name: v1, pool: llm-chat, servedModel: Qwen/Qwen3-8B, weight: 90 }
                - { name: v2, pool: llm-chat, servedModel: Qwen/Qwen3-8B-FP8, weight: 10, canary: true }
        """;

    private static readonly (string, string)[] User = [("x-user-id", "user-12345")];
    private static readonly (string, string)[] UserAsChat = [("x-user-id", "user-12345"), ("x-model-type", "chat")];

    private ServiceProvider? _ranges;
    private ServiceProvider? _catalogue;
    private byte[] _chat = [];
    private byte[] _completions = [];

    [Params(1_000, 16_000)]
    public int PromptChars { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var prompt = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", (PromptChars / 45) + 1))[..PromptChars];
        _chat = JsonSerializer.SerializeToUtf8Bytes(new { model = "qwen3", messages = new[] { new { role = "user", content = prompt } }, max_tokens = 64 });
        _completions = JsonSerializer.SerializeToUtf8Bytes(new { model = "qwen3", prompt, max_tokens = 64, temperature = 0.2 });
        _ranges = PipelineProvider.Build();
        _catalogue = PipelineProvider.Build(Catalogue);
        if (Decide(_catalogue, ApiKind.ChatCompletions, "/v1/chat/completions", _chat, User)?.Version is null
            || Decide(_catalogue, ApiKind.Completions, "/v1/completions", _completions, UserAsChat)?.RewrittenPath is null
            || Decide(_ranges, ApiKind.ChatCompletions, "/v1/chat/completions", _chat, User) is null)
        {
            throw new InvalidOperationException("A benchmark request was rejected; it would measure the error path.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ranges?.Dispose();
        _catalogue?.Dispose();
    }

    /// <summary>The core path, model outside the catalogue: inspect, count, token range.</summary>
    [Benchmark(Baseline = true)]
    public object? RangesOnly() => Decide(_ranges!, ApiKind.ChatCompletions, "/v1/chat/completions", _chat, User);

    /// <summary>With versions: alias → model, sticky bucket → version, body model rewritten, count, range.</summary>
    [Benchmark]
    public object? CatalogueChat() => Decide(_catalogue!, ApiKind.ChatCompletions, "/v1/chat/completions", _chat, User);

    /// <summary>The same completions request outside the catalogue and without conversion: the baseline of the next row.</summary>
    [Benchmark]
    public object? RangesOnlyCompletions() => Decide(_ranges!, ApiKind.Completions, "/v1/completions", _completions, User);

    /// <summary>With versions, a completions request converted to a chat request.</summary>
    [Benchmark]
    public object? CatalogueConvertCompletions() => Decide(_catalogue!, ApiKind.Completions, "/v1/completions", _completions, UserAsChat);

    // Every stage completes synchronously: the task is done when it returns.
    private static Routing.RoutingDecision? Decide(IServiceProvider services, ApiKind api, string path, byte[] body, (string, string)[] headers) =>
        PipelineProvider.DecideAsync(services, PipelineProvider.Exchange(services, api, path, body, headers)).AsTask().GetAwaiter().GetResult();
}
