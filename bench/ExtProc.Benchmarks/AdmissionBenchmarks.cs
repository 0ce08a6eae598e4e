using System.Text;
using System.Text.Json;
using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Benchmarks;

/// <summary>
/// Admission's cost per request (issue 11 target: under 5 µs): the admission stage alone on a request the earlier
/// stages have already decided (model, tokens, pool), against live-looking load for its pools — admitted to a pool
/// of 2 or 50 endpoints, overflowed, or shed with its 429 built. Each operation makes the exchange and ends it (the
/// baseline does only that), so the difference is the stage.
/// </summary>
[MemoryDiagnoser]
public class AdmissionBenchmarks
{
    private const string Config = """
        catalogue:
          pools:
            - { name: llama-a, engine: { kind: vllm, endpoints: [ENDPOINTS] } }
            - { name: llama-b, engine: { kind: vllm, endpoints: [http://b1/metrics] } }
          models:
            - name: llama
              kvBytesPerToken: 131072
              versions: [{ name: v1, pool: llama-a }]
              overflow: [{ pool: llama-b, servedModel: llama-fp8 }]
        """;

    /// <summary>Wall time fixed, so the load stays 100 ms old for the whole run (timestamps still tick).</summary>
    private static readonly TimeProvider Clock = new FixedWallClock(TimeProvider.System.GetUtcNow());

    private ServiceProvider? _services;
    private IRequestStage? _stage;
    private Exchange? _decided;
    private Routing.RoutingDecision? _decision;
    private byte[] _body = [];

    /// <summary>headroom, overflow or shed.</summary>
    [Params("headroom", "overflow", "shed")]
    public string Case { get; set; } = "headroom";

    [Params(2, 50)]
    public int Endpoints { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var endpoints = string.Join(", ", Enumerable.Range(0, Endpoints).Select(i => $"http://a{i}/metrics"));
        var (waitingA, waitingB) = Case switch { "headroom" => (1, 1), "overflow" => (9, 1), _ => (9, 9) };
        var load = PoolLoadSnapshot.Parse(JsonSerializer.Serialize(new
        {
            pools = new Dictionary<string, object>
            {
                ["llama-a"] = new { endpoints = Enumerable.Range(0, Endpoints).Select(_ => new { ageMs = 100, waiting = waitingA, running = 8, kvUsage = 0.4, kvCapacityTokens = 200_000 }) },
                ["llama-b"] = new { endpoints = new[] { new { ageMs = 100, waiting = waitingB, running = 8, kvUsage = 0.4, kvCapacityTokens = 200_000 } } },
            },
        }), Clock);
        _services = PipelineProvider.Build(Config.Replace("ENDPOINTS", endpoints, StringComparison.Ordinal), s => s.AddSingleton<IPoolLoadSource>(load).AddSingleton<TimeProvider>(Clock));
        _body = Encoding.UTF8.GetBytes("""{"model":"llama","messages":[{"role":"user","content":"Summarise the report in three bullet points."}],"max_tokens":256}""");
        _stage = _services.GetServices<IRequestStage>().Single(s => s is AdmissionStage);
        _decided = PipelineProvider.Exchange(_services, ApiKind.ChatCompletions, "/v1/chat/completions", _body);
        var pipeline = _services.GetRequiredService<ExchangePipeline>();
        var result = pipeline.RunRequestAsync(_decided).AsTask().GetAwaiter().GetResult();
        var expected = Case == "shed" ? 429 : 0;
        if ((result.Response?.Status ?? 0) != expected)
        {
            throw new InvalidOperationException($"The {Case} case decided {result.Response?.Status ?? 200}.");
        }

        // As the route stage left it (an overflow changed it).
        _decision = _decided.Decision! with { Pool = "llama-a", OverflowFrom = null, ServedModel = null };
    }

    [GlobalCleanup]
    public void Cleanup() => _services?.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<object?> ExchangeOnly()
    {
        await using var exchange = Decided();
        return exchange.Decision;
    }

    [Benchmark]
    public async Task<object?> Admission()
    {
        await using var exchange = Decided();
        return await _stage!.ProcessAsync(exchange).ConfigureAwait(false);
    }

    /// <summary>A new exchange as the stages before admission leave it.</summary>
    private Exchange Decided()
    {
        var exchange = PipelineProvider.Exchange(_services!, ApiKind.ChatCompletions, "/v1/chat/completions", _body);
        exchange.Request = _decided!.Request;
        exchange.UpstreamRequest = _decided.Request;
        exchange.Model = _decided.Model;
        exchange.Choice = _decided.Choice;
        exchange.PromptTokens = _decided.PromptTokens;
        exchange.Decision = _decision;
        return exchange;
    }

    private sealed class FixedWallClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
