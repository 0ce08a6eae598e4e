using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Admission.Gpu;
using AiSidecar.ExtProc.Bench;
using AiSidecar.ExtProc.Tests.Admission.Gpu;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.GpuAgent.Tests.Fakes;
using AiSidecar.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Simulator = AiSidecar.EngineSimulator.EngineSimulator;

namespace AiSidecar.ExtProc.Tests.Observability;

/// <summary>
/// The real server and the real GPU agent (on the fake NVML library), scraped by a real Prometheus that loads the
/// shipped rule files under the shipped scrape job names, after two rounds of requests through the Envoy-faithful
/// client that touch every family the dashboard and the rules read: buffered JSON and SSE chat responses with usage (one
/// count exact, one not), a canary request Envoy never got an answer for, a request overflowed from a saturated pool
/// and answered 503, a sheddable one shed, a malformed one, an embeddings request coalesced through the engine
/// simulator, a deterministic request cached in a real Redis (stored, then answered from the cache) and one refused by
/// its token budget; the agent samples after each round, with an XID in the second. Each round is followed by a scrape of
/// both targets, and the rules are evaluated after the last one, so every rate has two samples to work with.
/// </summary>
public sealed class LiveObservability : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly ConcurrentDictionary<string, string> _pages = new(StringComparer.Ordinal);
    private WebApplication? _engines;
    private Simulator? _simulator;
    private InProcessGpuAgent? _agent;
    private RedisServer? _redis;
    private TestExtProcServer? _server;

    public PrometheusServer Prometheus { get; private set; } = null!;

    /// <summary>The instant every query is evaluated at: after the last round's scrape and the rules' evaluation on it.</summary>
    public DateTimeOffset At { get; private set; }

    /// <summary>Each round's exchanges, by name.</summary>
    public List<Dictionary<string, ExchangeResult>> Rounds { get; } = [];

    public async Task InitializeAsync()
    {
        FakeNvml.ResetWithGpus(2);
        _agent = await InProcessGpuAgent.StartAsync(poolLabel: "h100");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _engines = builder.Build();
        _engines.MapGet("/{pool}/metrics", (string pool) => Results.Text(_pages[pool], "text/plain; version=0.0.4"));
        await _engines.StartAsync();
        var pages = _engines.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _pages["chat"] = EnginePages.Vllm(waiting: 0, running: 4, kvUsage: 0.2);
        _pages["embed"] = EnginePages.Vllm(waiting: 0, running: 1, kvUsage: 0.1);
        _pages["busy"] = EnginePages.Vllm(waiting: 50, running: 8, kvUsage: 0.9);
        _simulator = await Simulator.StartAsync(new AiSidecar.EngineSimulator.SimulatorOptions { CostModel = AiSidecar.EngineSimulator.CostModel.Free });
        _redis = await RedisServer.StartedAsync();

        // GPU telemetry never ages out here: the agent samples when the test says so (stale telemetry has its own tests).
        _server = await TestExtProcServer.StartAsync($$"""
            admission:
              gpuAgents: { addresses: ["{{_agent.Address}}"] }
              staleAfterMs: 600000
              priority:
                tenantHeader: x-tenant
                tenants: { batch: sheddable }
            catalogue:
              unknownModels: reject
              pools:
                - name: llm-chat
                  apis: [chat, completions, responses]
                  engine: { kind: vllm, endpoints: ["{{pages}}/chat/metrics"] }
                  gpus: { nodeLabels: { pool: h100 } }
                - name: llm-busy
                  apis: [chat]
                  engine: { kind: vllm, endpoints: ["{{pages}}/busy/metrics"] }
                - name: llm-embed
                  apis: [embeddings]
                  engine: { kind: vllm, endpoints: ["{{pages}}/embed/metrics"] }
                  upstream: { url: "{{_simulator.BaseAddress}}" }
              models:
                - name: qwen3-8b
                  aliases: [qwen3]
                  apis: [chat, completions, responses]
                  versions:
                    - { name: v1, pool: llm-chat, servedModel: Qwen/Qwen3-8B, weight: 100 }
                    - { name: v2, pool: llm-chat, servedModel: Qwen/Qwen3-8B-FP8, weight: 0, canary: true }
                  experiments:
                    - { value: qwen-fp8, version: v2 }
                - name: llama
                  apis: [chat]
                  versions: [{ name: v1, pool: llm-busy, servedModel: llama-bf16 }]
                  overflow: [{ pool: llm-chat }]
                - name: bge-m3
                  apis: [embeddings]
                  versions: [{ name: v1, pool: llm-embed, servedModel: BAAI/bge-m3 }]
                  coalesce: { maxWaitMs: 0 }
                - name: memo
                  apis: [chat]
                  versions: [{ name: v1, pool: llm-chat, servedModel: memo-7b }]
            routing:
              experimentHeader: x-experiment
            {{RedisServer.ConfigFor(_redis.Endpoint, "live:")}}
            cache:
              enabled: true
              default: { enabled: false }
              models: { memo: {} }
            budgets:
              enabled: true
              models: { memo: { tokensPerDay: 1000 } }
            """, (Action<IServiceCollection>?)null, "--processing:messageTimeoutMs=60000");
        await RedisServer.ConnectedAsync(_server);

        // Admission decides on what it has seen: every pool's engine scraped, the agent's GPUs known.
        var load = _server.App.Services.GetRequiredService<EngineLoad>();
        await Until.TrueAsync(() => new[] { "llm-chat", "llm-busy", "llm-embed" }.All(p => load.For(p)?.Endpoints[0].ScrapedAt is not null), "the first scrape of every engine");
        var fleet = _server.App.Services.GetRequiredService<GpuFleet>();
        await Until.TrueAsync(() => fleet.Evaluate(new PoolGpuOptions { NodeLabels = { ["pool"] = "h100" } }).Healthy == 2, "the agent's two healthy GPUs");

        // The cache's series exist before the first scrape (a miss, then a hit), so the rounds' lookups show as rates.
        foreach (var _ in new[] { "miss", "hit" })
        {
            await _server.Client(ExtProcChannels.Buffered with { AllowModeOverride = true }).RunAsync(HttpExchange.For(Memo("warm up", 5), UpstreamResponse.Json(ChatAnswer(10))));
        }

        Prometheus = await PrometheusServer.StartAsync(Config(_server.Http.BaseAddress!.Authority, $"127.0.0.1:{_agent.Ports.Http}"));
        await ScrapedAfterAsync(TimeProvider.System.GetUtcNow());
        for (var round = 0; round < 2; round++)
        {
            Rounds.Add(await RoundAsync(xid: round == 1));
            await ScrapedAfterAsync(TimeProvider.System.GetUtcNow());
        }

        At = await SettledAsync();
    }

    public async Task DisposeAsync()
    {
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_engines is not null)
        {
            await _engines.StopAsync();
            await _engines.DisposeAsync();
        }
    }

    /// <summary>
    /// The shipped scrape jobs (<c>deploy/observability/prometheus.yaml</c>: names, honor_labels) on static loopback
    /// targets instead of DNS, the shipped rule files, everything every <see cref="Interval"/>.
    /// </summary>
    private static JsonObject Config(string server, string agent)
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal) { ["ai-sidecar-extproc"] = server, ["ai-sidecar-gpu-agent"] = agent };
        var shipped = RepoFiles.LoadYaml("deploy/observability/prometheus.yaml").Single();
        var jobs = new JsonArray();
        foreach (var job in shipped["scrape_configs"]!.AsArray())
        {
            var name = job!["job_name"]!.GetValue<string>();
            jobs.Add(new JsonObject
            {
                ["job_name"] = name,
                ["honor_labels"] = bool.Parse(job["honor_labels"]?.GetValue<string>() ?? "false"),
                ["static_configs"] = new JsonArray(new JsonObject { ["targets"] = new JsonArray(targets[name]) }),
            });
        }

        var interval = $"{Interval.TotalMilliseconds}ms";
        return new JsonObject
        {
            ["global"] = new JsonObject { ["scrape_interval"] = interval, ["scrape_timeout"] = interval, ["evaluation_interval"] = interval },
            ["rule_files"] = new JsonArray([.. ObservabilityFiles.RuleFiles.Select(f => (JsonNode)RepoFiles.PathOf(f))]),
            ["scrape_configs"] = jobs,
        };
    }

    /// <summary>
    /// An instant at which every query sees the last round: a scrape of both targets after it, the rules evaluated after
    /// that, and no failed scrape in between. A scrape that failed (over its 500 ms timeout on a busy machine) marks the
    /// target's series stale, and every gauge would read as no data; then it waits for the next good stretch.
    /// </summary>
    private async Task<DateTimeOffset> SettledAsync()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var from = TimeProvider.System.GetUtcNow();
            await ScrapedAfterAsync(from);
            var scraped = TimeProvider.System.GetUtcNow();
            await Until.TrueAsync(async () => (await Prometheus.RuleGroupsAsync()).All(g => DateTimeOffset.Parse(g!["lastEvaluation"]!.GetValue<string>(), CultureInfo.InvariantCulture) > scraped), "the rules evaluated after the last scrape");
            var at = TimeProvider.System.GetUtcNow();
            var since = (long)Math.Ceiling((at - from).TotalMilliseconds);
            var worst = await Prometheus.QueryAsync($"min_over_time(up[{since}ms])", at);
            if (worst.Samples.Count == 2 && worst.Samples.All(s => s.Value == 1))
            {
                return at;
            }
        }

        throw new InvalidOperationException($"No stretch without a failed scrape in 20 tries:\n{Prometheus.Log}");
    }

    /// <summary>Waits until Prometheus holds a scrape of both targets that started after <paramref name="instant"/>.</summary>
    private Task ScrapedAfterAsync(DateTimeOffset instant) => Until.TrueAsync(async () =>
    {
        var scrapes = await Prometheus.QueryAsync("timestamp(up)");
        return scrapes.Samples.Count == 2 && scrapes.Samples.All(s => s.Value > instant.ToUnixTimeMilliseconds() / 1000.0);
    }, $"a scrape of both targets after {instant:O}");

    private async Task<Dictionary<string, ExchangeResult>> RoundAsync(bool xid)
    {
        var client = _server!.Client(ExtProcChannels.Buffered with { AllowModeOverride = true });
        var results = new Dictionary<string, ExchangeResult>(StringComparer.Ordinal)
        {
            // Buffered JSON with usage, the engine's count equal to the server's.
            ["json"] = await client.RunAsync(new HttpExchange
            {
                Request = TrafficExamples.Post("/v1/chat/completions", InferenceBodies.Chat("hello there", "qwen3"), ("x-user-id", "alice")),
                Upstream = f => UpstreamResponse.Json(ChatAnswer(PromptTokens(f))),
            }),

            // An SSE stream with its usage chunk, the engine counting 2 tokens more than the server.
            ["sse"] = await client.RunAsync(new HttpExchange
            {
                Request = TrafficExamples.Post("/v1/chat/completions", InferenceBodies.Chat("stream it", "qwen3")[..^1] + ",\"stream\":true}", ("x-user-id", "bob")),
                Upstream = f => Stream(PromptTokens(f) + 2),
            }),

            // The canary's pods are down: Envoy answers 503 itself, and its reply never reaches the server.
            ["canary"] = await client.RunAsync(new HttpExchange
            {
                Request = TrafficExamples.Post("/v1/chat/completions", InferenceBodies.Chat("hi", "qwen3"), ("x-experiment", "qwen-fp8")),
                Upstream = _ => throw new LocalReplyException(LocalReplies.Error(503, "no_healthy_upstream")),
            }),

            // llama's pool is saturated: a standard request overflows to llm-chat, which answers 503; a sheddable one is shed.
            ["overflow"] = await client.RunAsync(HttpExchange.For(
                DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hi", "llama")),
                UpstreamResponse.Json("""{"error":{"message":"engine overloaded","type":"server_error","code":503}}""", 503))),
            ["shed"] = await client.RunAsync(HttpExchange.For(TrafficExamples.Post("/v1/chat/completions", InferenceBodies.Chat("hi", "llama"), ("x-tenant", "batch")))),
            ["malformed"] = await client.RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", "{"))),
            ["coalesced"] = await client.RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/embeddings", """{"model":"bge-m3","input":"hello"}"""))),

            // memo's answers are cached and its tokens budgeted: a deterministic request stored, then answered from the
            // cache; one asking for more tokens than the day's budget holds, refused.
            ["cached"] = await client.RunAsync(HttpExchange.For(Memo("remember me", 5), UpstreamResponse.Json(ChatAnswer(10)))),
            ["overbudget"] = await client.RunAsync(HttpExchange.For(Memo("a long one", 5000))),
        };

        if (xid)
        {
            Assert.Equal(1, FakeNvml.PushXid(1, 79));
            await _agent!.XidRecordedAsync(1);
        }

        await _agent!.SampleAsync();
        return results;
    }

    /// <summary>A deterministic chat request to memo (cached, budgeted) asking for <paramref name="maxTokens"/>.</summary>
    private static DownstreamRequest Memo(string content, int maxTokens) => TrafficExamples.Post("/v1/chat/completions",
        $$"""{"model":"memo","messages":[{"role":"user","content":"{{content}}"}],"temperature":0,"max_tokens":{{maxTokens}}}""", ("authorization", "Bearer sk-live"));

    private static int PromptTokens(ForwardedRequest forwarded) => int.Parse(forwarded.Headers.GetAll("x-ai-prompt-tokens").Single(), CultureInfo.InvariantCulture);

    private static string ChatAnswer(int promptTokens) =>
        $$$"""{"id":"chatcmpl-1","object":"chat.completion","model":"Qwen/Qwen3-8B","choices":[{"index":0,"message":{"role":"assistant","content":"hi!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":{{{promptTokens}}},"completion_tokens":3,"total_tokens":{{{promptTokens + 3}}}}}""";

    private static UpstreamResponse Stream(int promptTokens)
    {
        string[] events =
        [
            """data: {"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{"content":"a"}}]}""",
            """data: {"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{"content":"b"}}]}""",
            """data: {"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{"content":"c"}}]}""",
            $$$"""data: {"model":"Qwen/Qwen3-8B","choices":[],"usage":{"prompt_tokens":{{{promptTokens}}},"completion_tokens":3}}""",
            "data: [DONE]",
        ];
        return new UpstreamResponse
        {
            Headers = new HttpHeaderList().Add("content-type", "text/event-stream"),
            BodyChunks = [.. events.Select(e => Encoding.UTF8.GetBytes(e + "\n\n"))],
        };
    }
}
