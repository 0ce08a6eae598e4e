using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Tests.Admission;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.ExtProc.Tests.Pipeline;
using AiSidecar.Testing;
using Microsoft.Extensions.DependencyInjection;
using static AiSidecar.ExtProc.Tests.Telemetry.BridgedMeter;

namespace AiSidecar.ExtProc.Tests.Telemetry;

/// <summary>
/// The families the server exports today (<c>metric-families.txt</c>, read from the prometheus-net collectors) can be
/// reproduced through <c>System.Diagnostics.Metrics</c> and the bridge, with one instrument per family.
/// </summary>
public sealed partial class MetricFamiliesTests
{
    [Fact]
    public async Task Bridge_OneInstrumentPerFamily_ExportsTheRecordedFamilies()
    {
        using var bridged = new BridgedMeter();
        var meter = bridged.Meter;
        KeyValuePair<string, object?>[] variant = [Tag("model", "qwen3"), Tag("version", "v1"), Tag("variant", "stable")];

        meter.CreateCounter<long>("extproc.requests").Add(1, Tag("decision", "small"));
        meter.CreateHistogram<int>("extproc.prompt_tokens", "{token}").Record(100);
        meter.CreateHistogram<double>("extproc.processing", "s").Record(0.001, Tag("message", "request_headers"));
        meter.CreateCounter<long>("extproc.errors").Add(1, Tag("kind", "invalid_json"));
        meter.CreateUpDownCounter<long>("extproc.open_streams").Add(1);
        meter.CreateCounter<long>("extproc.stream.endings").Add(1, Tag("ending", "completed"));
        meter.CreateCounter<long>("extproc.response_status").Add(1, Tag("class", "2xx"));
        meter.CreateCounter<long>("extproc.variant.requests").Add(1, variant);
        meter.CreateCounter<long>("extproc.variant.responses").Add(1, [.. variant, Tag("class", "2xx")]);
        meter.CreateHistogram<double>("extproc.variant.response", "s").Record(0.2, variant);
        meter.CreateCounter<long>("extproc.experiments.ignored").Add(1, Tag("model", "qwen3"));
        meter.CreateCounter<long>("extproc.config.reloads").Add(1, Tag("result", "success"));
        meter.CreateGauge<long>("extproc.config.generation").Record(1);
        meter.CreateGauge<int>("extproc.tokenizer.loaded").Record(1, Tag("tokenizer", "qwen3"));
        meter.CreateCounter<long>("extproc.tokenizer.load_failures").Add(1, Tag("tokenizer", "qwen3"));
        meter.CreateCounter<long>("extproc.tokenizer.fallback").Add(1, Tag("tokenizer", "qwen3"));
        meter.CreateCounter<long>("extproc.tokenizer.upper_bounds").Add(1, Tag("tokenizer", "qwen3"));
        meter.CreateObservableGauge("extproc.build_info", () => new Measurement<int>(1, Tag("version", "1.0.0"), Tag("runtime", ".NET 10.0")));
        meter.CreateUpDownCounter<long>("extproc.exchange.leases").Add(1, Tag("kind", "queue"));
        meter.CreateUpDownCounter<long>("extproc.body_budget", "By").Add(1, Tag("state", "in_flight"));
        meter.CreateCounter<long>("extproc.admissions").Add(1, Tag("pool", "llm-chat"), Tag("priority", "standard"), Tag("decision", "shed"), Tag("reason", "queue"));
        meter.CreateCounter<long>("extproc.admission.overflows").Add(1, Tag("from", "llm-chat"), Tag("to", "llm-chat-spare"));
        meter.CreateGauge<double>("extproc.admission.telemetry_age", "s").Record(0.1, Tag("pool", "llm-chat"));
        meter.CreateGauge<int>("extproc.admission.stale").Record(0, Tag("pool", "llm-chat"));

        meter.CreateCounter<long>("extproc.priority.requests").Add(1, Tag("priority", "standard"), Tag("source", "default"));
        meter.CreateCounter<long>("extproc.priority.ignored").Add(1, Tag("reason", "untrusted"));
        meter.CreateGauge<int>("extproc.breaker.state", "{state}").Record(2, Tag("pool", "llm-small"));
        meter.CreateCounter<long>("extproc.breaker.transitions").Add(1, Tag("pool", "llm-small"), Tag("state", "open"));
        meter.CreateCounter<long>("extproc.breaker.outcomes").Add(1, Tag("pool", "llm-small"), Tag("outcome", "failure"));
        meter.CreateObservableGauge("extproc.gpu_agents", () => new Measurement<int>(1, Tag("state", "connected")), "{agent}");
        meter.CreateCounter<long>("extproc.gpu_agent.updates", "{update}").Add(1);
        meter.CreateObservableGauge("extproc.gpu_devices", () => new Measurement<int>(8, Tag("health", "healthy")), "{device}");
        meter.CreateCounter<long>("extproc.engine.scrapes").Add(1, Tag("pool", "llm-chat"), Tag("result", "success"));
        meter.CreateHistogram<double>("extproc.engine.scrape.duration", "s").Record(0.002, Tag("pool", "llm-chat"));
        meter.CreateGauge<int>("extproc.engine.endpoints").Record(1, Tag("pool", "llm-chat"), Tag("state", "up"));
        meter.CreateCounter<long>("extproc.coalesce.requests").Add(1, Tag("pool", "embed"), Tag("outcome", "answered"), Tag("reason", ""));
        meter.CreateCounter<long>("extproc.coalesce.batches").Add(1, Tag("pool", "embed"), Tag("result", "ok"));
        meter.CreateHistogram<int>("extproc.coalesce.batch.requests", "{request}").Record(8, Tag("pool", "embed"));
        meter.CreateHistogram<int>("extproc.coalesce.batch.inputs", "{input}").Record(8, Tag("pool", "embed"));
        meter.CreateHistogram<double>("extproc.coalesce.wait", "s").Record(0.001, Tag("pool", "embed"));
        meter.CreateHistogram<double>("extproc.coalesce.upstream.duration", "s").Record(0.01, Tag("pool", "embed"));
        meter.CreateUpDownCounter<long>("extproc.coalesce.held", "{request}").Add(1);
        meter.CreateUpDownCounter<long>("extproc.coalesce.held_body", "By").Add(100);
        meter.CreateGauge<int>("extproc.coalesce.breaker.state", "{state}").Record(0, Tag("upstream", "http://tei:8080"));
        KeyValuePair<string, object?>[] genAi = [Tag("gen_ai.operation.name", "chat"), Tag("gen_ai.provider.name", "vllm"), Tag("gen_ai.request.model", "qwen3"), Tag("gen_ai.response.model", "Qwen/Qwen3-8B")];
        meter.CreateHistogram<long>("gen_ai.client.token.usage", "{token}").Record(10, [.. genAi, Tag("gen_ai.token.type", "input")]);
        meter.CreateHistogram<double>("gen_ai.client.operation.duration", "s").Record(0.5, [.. genAi, Tag("error.type", "")]);
        meter.CreateHistogram<double>("gen_ai.server.time_to_first_token", "s").Record(0.05, genAi);
        meter.CreateHistogram<double>("gen_ai.server.time_per_output_token", "s").Record(0.01, genAi);
        meter.CreateHistogram<long>("extproc.count_check.difference", "{token}").Record(0, Tag("model", "qwen3"));
        meter.CreateCounter<long>("extproc.count_check", "{response}").Add(1, Tag("model", "qwen3"), Tag("result", "exact"));
        meter.CreateCounter<long>("extproc.usage.responses", "{response}").Add(1, Tag("model", "qwen3"), Tag("source", "sse"));
        foreach (var budget in new[] { "reservations", "reserved.tokens", "commits", "committed.tokens", "releases", "refunded.tokens", "failed_open" })
        {
            meter.CreateCounter<long>("extproc.budget." + budget).Add(1, Tag("model", "bge-reranker-v2"));
        }

        meter.CreateCounter<long>("extproc.budget.rejections").Add(1, Tag("model", "bge-reranker-v2"), Tag("reason", "requests_per_minute"));
        meter.CreateCounter<long>("extproc.redis.errors").Add(1, Tag("operation", "reserve"), Tag("error", "connection"));
        meter.CreateCounter<long>("extproc.cache.lookups").Add(1, Tag("model", "qwen3"), Tag("result", "hit"));
        meter.CreateCounter<long>("extproc.cache.writes").Add(1, Tag("model", "qwen3"), Tag("result", "stored"));
        meter.CreateCounter<long>("extproc.cache.bytes", "By").Add(100, Tag("model", "qwen3"), Tag("direction", "served"));
        meter.CreateCounter<long>("extproc.cache.local_hits").Add(1, Tag("model", "qwen3"));

        var exported = Families(await bridged.ScrapeAsync());

        var recorded = await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "Telemetry", "metric-families.txt"));
        Assert.Equal(recorded.Where(l => l.Length > 0).Order(StringComparer.Ordinal), exported);
    }

    /// <summary>
    /// The real server, after traffic that touches every family (routed to a version with a response, an ended
    /// experiment, rejected, a count that is an upper bound, a reload, a tokenizer that fails to load, a lease, a
    /// large body, a saturated pool overflowing to a spare one, an untrusted priority header, a 503 that opens a pool
    /// breaker, a coalesced embeddings request, a streamed chat with its usage chunk, budgets, a cache miss and hit), scraped on <c>/metrics</c>: exactly the recorded families,
    /// names, types and label sets.
    /// </summary>
    [Fact]
    public async Task Scrape_RealServerAfterTraffic_ExportsExactlyTheRecordedFamilies()
    {
        var config = TrafficExamples.Config.Replace("      apis: [chat, completions, responses]\n      versions:", "      apis: [chat, completions, responses]\n      tokenizer: { file: /nonexistent/tokenizer.json, template: chatml }\n      versions:", StringComparison.Ordinal);
        Assert.NotEqual(TrafficExamples.Config, config);
        const string ChatPool = "    - name: llm-chat\n      apis: [chat, completions, responses]\n";
        const string Engine = "      engine: { kind: vllm, endpoints: [http://127.0.0.1:9/metrics] }\n";
        config = config.Replace(ChatPool, ChatPool + Engine + ChatPool.Replace("llm-chat", "llm-chat-spare", StringComparison.Ordinal) + Engine, StringComparison.Ordinal)
            .Replace("      versions:\n        - name: v1\n          pool: llm-chat\n", "      overflow: [{ pool: llm-chat-spare }]\n      versions:\n        - name: v1\n          pool: llm-chat\n", StringComparison.Ordinal);
        Assert.Contains("overflow: [{ pool: llm-chat-spare }]", config, StringComparison.Ordinal);
        var load = new ScriptedPoolLoad();
        load.FreshEngine("llm-chat", TimeProvider.System, waiting: 50, kvUsage: 0.5);
        load.FreshEngine("llm-chat-spare", TimeProvider.System, waiting: 0, kvUsage: 0.1);
        // The embeddings model coalesces into its pool's upstream, the engine simulator.
        await using var engine = await AiSidecar.EngineSimulator.EngineSimulator.StartAsync(new AiSidecar.EngineSimulator.SimulatorOptions { CostModel = AiSidecar.EngineSimulator.CostModel.Free });
        load.FreshEngine("llm-embed", TimeProvider.System, waiting: 0, kvUsage: 0.1);
        config = config.Replace("    - name: llm-embed\n      apis: [embeddings]\n", $"    - name: llm-embed\n      apis: [embeddings]\n      engine: {{ kind: vllm, endpoints: [\"http://127.0.0.1:1/metrics\"] }}\n      upstream: {{ url: \"{engine.BaseAddress}\" }}\n", StringComparison.Ordinal)
            .Replace("    - name: bge-m3\n      apis: [embeddings]\n", "    - name: bge-m3\n      apis: [embeddings]\n      coalesce: { maxWaitMs: 0 }\n", StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1/metrics", config, StringComparison.Ordinal);
        Assert.Contains("coalesce: { maxWaitMs: 0 }", config, StringComparison.Ordinal);
        // Budgets on the rerank model only, in a real Redis.
        await using var redis = await RedisServer.StartedAsync();
        config += $"\nredis:\n  endpoints: [\"{redis.Endpoint}\"]\n  operationTimeoutMs: 2000\nbudgets:\n  enabled: true\n  models:\n    bge-reranker-v2: {{ requestsPerMinute: 2 }}\n"
            + "cache:\n  enabled: true\n  default: { enabled: false }\n  models:\n    qwen3-8b: {}\n";
        await using var server = await TestExtProcServer.StartAsync(config, s => s.AddSingleton<IRequestStage>(new LeaseStage()).AddSingleton<IPoolLoadSource>(load),
            "--processing:messageTimeoutMs=60000", "--admission:breaker:failures=1");
        await RedisServer.ConnectedAsync(server);
        var client = server.Client();
        var chat = InferenceBodies.Chat("hi", "qwen3");
        await client.RunAsync(HttpExchange.For(TrafficExamples.Post("/v1/chat/completions", chat, ("x-user-id", "alice"))));
        await client.RunAsync(HttpExchange.For(TrafficExamples.Post("/v1/chat/completions", chat, ("x-experiment", "ended"))));
        await client.RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", "{")));

        // A streamed chat answered with its usage chunk: usage, count check and the GenAI metrics, TTFT and time per token included.
        var stream = "data: {\"model\":\"Qwen/Qwen3-8B\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
            + "data: {\"model\":\"Qwen/Qwen3-8B\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"}}]}\n\n"
            + "data: {\"model\":\"Qwen/Qwen3-8B\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n";
        var streamed = InferenceBodies.Chat("hi", "qwen3")[..^1] + ",\"stream\":true}";
        await server.Client(ExtProcChannels.Buffered with { AllowModeOverride = true }).RunAsync(HttpExchange.For(TrafficExamples.Post("/v1/chat/completions", streamed),
            new UpstreamResponse { Headers = new HttpHeaderList().Add("content-type", "text/event-stream"), BodyChunks = [.. stream.Split("\n\n").Select(e => System.Text.Encoding.UTF8.GetBytes(e + "\n\n"))] }));

        // The cache: a deterministic chat missed and stored, then answered from the cache.
        var cached = InferenceBodies.Chat("cache me", "qwen3")[..^1] + ",\"temperature\":0}";
        await server.Client(ExtProcChannels.Buffered with { AllowModeOverride = true }).RunAsync(HttpExchange.For(TrafficExamples.Post("/v1/chat/completions", cached),
            UpstreamResponse.Json("""{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1}}""")));
        Assert.Equal("hit", (await server.Client(ExtProcChannels.Buffered with { AllowModeOverride = true }).RunAsync(HttpExchange.For(TrafficExamples.Post("/v1/chat/completions", cached)))).Response.Headers["x-ai-cache"]);

        // An untrusted priority header, and an upstream 503 that opens its pool's breaker (failures: 1).
        await client.RunAsync(HttpExchange.For(TrafficExamples.Post("/v1/chat/completions", chat, ("x-priority", "critical")), UpstreamResponse.Json("{}", 503)));
        await client.RunAsync(HttpExchange.For(TrafficExamples.Post("/v1/chat/completions", InferenceBodies.Chat(new string('a', 70_000), "qwen3"))));

        // A coalesced embeddings request (a batch of one: the upstream is idle).
        var coalesced = await client.RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/embeddings", """{"model":"bge-m3","input":"hello"}""")));
        Assert.Equal("1", coalesced.Response.Headers.GetAll("x-ai-coalesced").Single());

        // A large body takes room in the memory budget.
        await client.RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat(new string('a', 100_000), "qwen3"))));
        await File.WriteAllTextAsync(server.ConfigPath, config + "\n# reloaded\n");
        server.App.Services.GetRequiredService<ConfigReloader>().CheckForChanges();

        // The engine pool's endpoint (nothing listens there) has been scraped once.
        // Budgets: a reservation committed with the usage, one released (no usage), one refused, then Redis killed: one admitted unbudgeted.
        var overridden = server.Client(ExtProcChannels.Buffered with { AllowModeOverride = true });
        var rerank = InferenceBodies.Rerank("q", "d", "bge-reranker-v2");
        await overridden.RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/rerank", rerank), UpstreamResponse.Json("""{"results":[],"usage":{"total_tokens":3}}""")));
        await overridden.RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/rerank", rerank), UpstreamResponse.Json("""{"results":[]}""")));
        Assert.Equal(429, (await overridden.RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/rerank", rerank)))).Response.Status);
        await Until.TrueAsync(async () => await ScrapedMetrics.ValueAsync(server.App.Services, "extproc_budget_releases_total{model=\"bge-reranker-v2\"}") == 1
            && await ScrapedMetrics.ValueAsync(server.App.Services, "extproc_budget_commits_total{model=\"bge-reranker-v2\"}") == 1, "both reservations reconciled");
        await redis.KillAsync();
        Assert.Equal(200, (await overridden.RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/rerank", rerank)))).Response.Status);

        await Until.TrueAsync(() => server.App.Services.GetRequiredService<EngineLoad>().For("llm-embed")?.Endpoints[0].ScrapedAt is not null, "the first engine scrape");

        var exported = Families(await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

        var recorded = await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "Telemetry", "metric-families.txt"));
        Assert.Equal(recorded.Where(l => l.Length > 0).Order(StringComparer.Ordinal), exported);
    }

    /// <summary>Takes a lease on every request, so the lease family has a series.</summary>
    private sealed class LeaseStage : IRequestStage
    {
        public int Order => StageOrder.Route + 1;

        public string Name => "lease";

        public ValueTask<StageResult> ProcessAsync(Exchange exchange)
        {
            exchange.AddLease("test", new CountingLease());
            return ValueTask.FromResult(StageResult.Continue);
        }
    }

    /// <summary>One <c>name type label,label</c> line per family of the exposition, labels sorted, <c>le</c> left out.</summary>
    private static string[] Families(string text)
    {
        var types = TypeLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var labels = types.Keys.ToDictionary(k => k, _ => new SortedSet<string>(StringComparer.Ordinal));
        foreach (Match sample in SampleLine().Matches(text))
        {
            var name = sample.Groups[1].Value;
            var family = types.ContainsKey(name) ? name : HistogramSuffix().Replace(name, "");
            foreach (Match label in LabelName().Matches(sample.Groups[2].Value))
            {
                if (label.Groups[1].Value != "le")
                {
                    labels[family].Add(label.Groups[1].Value);
                }
            }
        }

        return [.. types.Select(t => $"{t.Key} {t.Value} {string.Join(',', labels[t.Key])}".TrimEnd()).Order(StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ", RegexOptions.Multiline)]
    private static partial Regex SampleLine();

    [GeneratedRegex("_(sum|count|bucket)$")]
    private static partial Regex HistogramSuffix();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""")]
    private static partial Regex LabelName();
}
