using System.Text.Json;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Routing.Reload;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// What the model registry adds to one decision (issue 4 target: under 20 µs): the same chat request through the
/// pipeline with token ranges only, then with the registry (alias lookup, sticky hash of the user header, model
/// rewrite of the body), then a completions request converted to chat. The prompt is the same every time, so the
/// count cache serves both sides alike and the difference is the registry's work.
/// </summary>
[MemoryDiagnoser]
public class TrafficDecisionBenchmarks
{
    private ServiceProvider? _ranges;
    private ServiceProvider? _registry;
    private IInferencePipeline _rangesPipeline = null!;
    private IInferencePipeline _registryPipeline = null!;
    private RequestContext _rangesChat = null!;
    private RequestContext _rangesCompletions = null!;
    private RequestContext _registryChat = null!;
    private RequestContext _registryCompletions = null!;
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
        (_ranges, _rangesPipeline) = Build([]);
        (_registry, _registryPipeline) = Build(RegistryKeys());
        var headers = new RequestHeaderValues([new("x-user-id", "user-12345")]);
        var converted = new RequestHeaderValues([new("x-user-id", "user-12345"), new("x-model-type", "chat")]);
        _rangesChat = new RequestContext(ApiKind.ChatCompletions, "/v1/chat/completions", headers, Table(_ranges));
        _rangesCompletions = new RequestContext(ApiKind.Completions, "/v1/completions", converted, Table(_ranges));
        _registryChat = new RequestContext(ApiKind.ChatCompletions, "/v1/chat/completions", headers, Table(_registry));
        _registryCompletions = new RequestContext(ApiKind.Completions, "/v1/completions", converted, Table(_registry));
        if (RegistryChat().Decision?.Version is null || RegistryConvertCompletions().Decision?.RewrittenPath is null || RangesOnly().Decision is null)
        {
            throw new InvalidOperationException("A benchmark request was rejected; it would measure the error path.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ranges?.Dispose();
        _registry?.Dispose();
    }

    /// <summary>The core path without a registry: inspect, count, token range.</summary>
    [Benchmark(Baseline = true)]
    public PipelineOutcome RangesOnly() => _rangesPipeline.Run(_rangesChat, _chat);

    /// <summary>With the registry: alias → model, sticky bucket → version, body model rewritten, count, range.</summary>
    [Benchmark]
    public PipelineOutcome RegistryChat() => _registryPipeline.Run(_registryChat, _chat);

    /// <summary>The same completions request without a registry (no conversion): the baseline of the next row.</summary>
    [Benchmark]
    public PipelineOutcome RangesOnlyCompletions() => _rangesPipeline.Run(_rangesCompletions, _completions);

    /// <summary>With the registry, a completions request converted to a chat request.</summary>
    [Benchmark]
    public PipelineOutcome RegistryConvertCompletions() => _registryPipeline.Run(_registryCompletions, _completions);

    private static RoutingTable Table(ServiceProvider provider) => provider.GetRequiredService<IRoutingTableSource>().Current;

    private static (ServiceProvider, IInferencePipeline) Build(Dictionary<string, string?> keys)
    {
        keys["tokenization:encoding"] = "o200k_base";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(keys).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddInferencePipeline();
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<IInferencePipeline>());
    }

    private static Dictionary<string, string?> RegistryKeys() => new()
    {
        ["routing:registry:stickiness:keys:0:header"] = "x-user-id",
        ["routing:registry:pools:0:name"] = "llm-chat",
        ["routing:registry:models:0:name"] = "qwen3-8b",
        ["routing:registry:models:0:aliases:0"] = "qwen3",
        ["routing:registry:models:0:versions:0:name"] = "v1",
        ["routing:registry:models:0:versions:0:pool"] = "llm-chat",
        ["routing:registry:models:0:versions:0:servedModel"] = "Qwen/Qwen3-8B",
        ["routing:registry:models:0:versions:0:weight"] = "90",
        ["routing:registry:models:0:versions:1:name"] = "v2",
        ["routing:registry:models:0:versions:1:pool"] = "llm-chat",
        ["routing:registry:models:0:versions:1:servedModel"] = "Qwen/Qwen3-8B-FP8",
        ["routing:registry:models:0:versions:1:weight"] = "10",
        ["routing:registry:models:0:versions:1:canary"] = "true",
    };
}
