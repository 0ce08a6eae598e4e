using System.Text.Json;
using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Admission;

public sealed class AdmissionStageTests : IDisposable
{
    private const string Yaml = """
        admission:
          priority:
            tenantHeader: x-tenant
            tenants: { batch: sheddable, vip: critical }
        catalogue:
          unknownModels: reject
          pools:
            - name: llama-a
              engine: { kind: vllm, endpoints: [http://a1:8000/metrics, http://a2:8000/metrics] }
            - name: llama-b
              engine: { kind: vllm, endpoints: [http://b1:8000/metrics] }
            - name: plain
          models:
            - name: llama
              kvBytesPerToken: 131072
              defaultMaxTokens: 500
              versions:
                - { name: v1, pool: llama-a, servedModel: meta/llama-bf16 }
              overflow:
                - { pool: llama-b, servedModel: meta/llama-fp8 }
            - name: small
              versions:
                - { name: v1, pool: plain }
        """;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly ScriptedPoolLoad _load = new();
    private readonly PipelineHarness _harness;

    public AdmissionStageTests()
    {
        _harness = new PipelineHarness(TestConfigs.Load(Yaml), s => s.AddSingleton<TimeProvider>(_time).AddSingleton<IPoolLoadSource>(_load));
    }

    public void Dispose() => _harness.Dispose();

    private static string Chat(string model, int? maxTokens = null) =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello there"}]{{(maxTokens is { } m ? $",\"max_tokens\":{m}" : "")}}}""";

    private Task<PipelineRun> RunAsync(string body, string? tenant = null) =>
        _harness.RunAsync(ApiKind.ChatCompletions, "/v1/chat/completions", body, tenant is null ? [] : [("x-tenant", tenant)]);

    private void OpenBreaker(string pool)
    {
        var breakers = _harness.Services.GetRequiredService<AiSidecar.ExtProc.Admission.Breaker.PoolBreakers>();
        for (var i = 0; i < 5; i++)
        {
            breakers.Record(pool, success: false);
        }
    }

    [Fact]
    public async Task RunRequestAsync_PoolWithHeadroom_AdmittedToItWithTheDemandItWasJudgedOn()
    {
        _load.Engine("llama-a", _time.GetUtcNow(), waiting: 1, kvUsage: 0.2);

        var run = await RunAsync(Chat("llama", maxTokens: 100));

        Assert.Equal("llama-a", run.Decision!.Pool);
        var outcome = run.Exchange.Admission!;
        Assert.Equal(("admitted", "headroom"), (outcome.Decision, outcome.Reason));
        Assert.Equal(run.Decision.PromptTokens + 100, outcome.DemandTokens);
        Assert.Equal(outcome.DemandTokens * 131072, outcome.DemandBytes);
    }

    [Fact]
    public async Task RunRequestAsync_NoMaxTokens_DemandUsesTheModelsDefault()
    {
        _load.Engine("llama-a", _time.GetUtcNow(), waiting: 0, kvUsage: 0);

        var run = await RunAsync(Chat("llama"));

        Assert.Equal(run.Decision!.PromptTokens + 500, run.Exchange.Admission!.DemandTokens);
    }

    [Fact]
    public async Task RunRequestAsync_PoolSaturated_OverflowsUnderTheOverflowPoolsServedName()
    {
        _load.Engine("llama-a", _time.GetUtcNow(), waiting: 9, kvUsage: 0.5);
        _load.Engine("llama-b", _time.GetUtcNow(), waiting: 0, kvUsage: 0.1);

        var run = await RunAsync(Chat("llama"));

        Assert.Equal(("llama-b", "llama-a", "meta/llama-fp8"), (run.Decision!.Pool, run.Decision.OverflowFrom, run.Decision.ServedModel));
        using var body = JsonDocument.Parse(run.ReplacementBody!.Value);
        Assert.Equal("meta/llama-fp8", body.RootElement.GetProperty("model").GetString());
        Assert.Equal("overflowed", run.Exchange.Admission!.Decision);
        Assert.Equal(["queue", "headroom"], run.Exchange.Admission.Pools.Select(p => p.Reason));
        Assert.Equal(1, await ScrapedMetrics.ValueAsync(_harness.Services, "extproc_admission_overflows_total{from=\"llama-a\",to=\"llama-b\"}"));
    }

    [Fact]
    public async Task RunRequestAsync_EveryPoolSaturated_Sheds429WithRetryAfterAndReason()
    {
        _load.Engine("llama-a", _time.GetUtcNow(), waiting: 9, kvUsage: 0.5, running: 5);
        _load.Engine("llama-b", _time.GetUtcNow(), waiting: 7, kvUsage: 0.5, running: 5);

        var run = await RunAsync(Chat("llama"));

        var response = run.Result.Response!;
        Assert.Equal((429, "shed"), (response.Status, response.Kind));
        var headers = response.Headers.ToDictionary(h => h.Key, h => h.Value);
        // No request has finished yet: 1 s per request. llama-b drains soonest: (7 - 5 + 1) × 1 s / 5 running = 0.6 s → 1 s.
        Assert.Equal("1", headers["retry-after"]);
        Assert.Equal("1000", headers["retry-after-ms"]);
        Assert.Equal("queue", headers[AdmissionStage.ReasonHeader]);
        using var error = JsonDocument.Parse(response.Body);
        Assert.Equal("rate_limit_exceeded", error.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task RunRequestAsync_SlowPool_RetryAfterFollowsItsDrainTime()
    {
        var durations = _harness.Services.GetRequiredService<PoolDurations>();
        durations.Record("llama-a", TimeSpan.FromSeconds(20));
        durations.Record("llama-b", TimeSpan.FromSeconds(20));
        _load.Engine("llama-a", _time.GetUtcNow(), waiting: 12, kvUsage: 0.5, running: 4);
        _load.Engine("llama-b", _time.GetUtcNow(), waiting: 40, kvUsage: 0.5, running: 4);

        var run = await RunAsync(Chat("llama"));

        // llama-a: (12 - 5 + 1) × 20 s / 4 = 40 s; llama-b longer.
        var headers = run.Result.Response!.Headers.ToDictionary(h => h.Key, h => h.Value);
        Assert.Equal(("40", "40000"), (headers["retry-after"], headers["retry-after-ms"]));
    }

    [Fact]
    public async Task RunRequestAsync_DrainLongerThanTwoMinutes_RetryAfterCappedAt120()
    {
        _harness.Services.GetRequiredService<PoolDurations>().Record("llama-a", TimeSpan.FromMinutes(10));
        _harness.Services.GetRequiredService<PoolDurations>().Record("llama-b", TimeSpan.FromMinutes(10));
        _load.Engine("llama-a", _time.GetUtcNow(), waiting: 50, kvUsage: 0.5, running: 1);
        _load.Engine("llama-b", _time.GetUtcNow(), waiting: 50, kvUsage: 0.5, running: 1);

        var run = await RunAsync(Chat("llama"));

        Assert.Contains(run.Result.Response!.Headers, h => h is { Key: "retry-after", Value: "120" });
    }

    [Fact]
    public async Task RunRequestAsync_EveryPoolUnavailable_Answers503()
    {
        _load.Set("llama-a", new PoolSamples([new EndpointLoad("down", false, _time.GetUtcNow(), null, null, null, null, "refused")], null));
        _load.Set("llama-b", new PoolSamples([new EndpointLoad("down", false, _time.GetUtcNow(), null, null, null, null, "refused")], null));

        var run = await RunAsync(Chat("llama"));

        var response = run.Result.Response!;
        Assert.Equal((503, "unavailable"), (response.Status, response.Kind));
        Assert.Contains(response.Headers, h => h is { Key: AdmissionStage.ReasonHeader, Value: "endpoints_down" });
        Assert.Equal(1, await ScrapedMetrics.ValueAsync(_harness.Services,
            "extproc_admissions_total{pool=\"llama-a\",priority=\"standard\",decision=\"unavailable\",reason=\"endpoints_down\"}"));
    }

    [Fact]
    public async Task RunRequestAsync_PrimaryUnavailableOverflowHasHeadroom_Overflows()
    {
        _load.Set("llama-a", new PoolSamples([new EndpointLoad("down", false, _time.GetUtcNow(), null, null, null, null, "refused")], null));
        _load.Engine("llama-b", _time.GetUtcNow(), waiting: 0, kvUsage: 0.1);

        var run = await RunAsync(Chat("llama"));

        Assert.Equal("llama-b", run.Decision!.Pool);
    }

    [Fact]
    public async Task RunRequestAsync_UnmonitoredPoolNoOverflow_PassesUntouched()
    {
        var run = await RunAsync(Chat("small"));

        Assert.Equal("plain", run.Decision!.Pool);
        Assert.Null(run.Exchange.Admission);
    }

    [Fact]
    public async Task RunRequestAsync_TelemetryGoesStaleAndComesBack_CountsItOncePerTransition()
    {
        _load.Engine("llama-a", _time.GetUtcNow(), waiting: 0, kvUsage: 0.1);
        _load.Engine("llama-b", _time.GetUtcNow(), waiting: 0, kvUsage: 0.1);
        await RunAsync(Chat("llama"));
        Assert.Equal(0, await ScrapedMetrics.ValueAsync(_harness.Services, "extproc_admission_stale{pool=\"llama-a\"}"));

        _time.Advance(TimeSpan.FromSeconds(3));
        var stale = await RunAsync(Chat("llama"));
        await RunAsync(Chat("llama"));

        Assert.Equal(["stale_telemetry", "stale_telemetry"], stale.Exchange.Admission!.Pools.Select(p => p.Reason));
        Assert.Equal(429, stale.Result.Response!.Status);
        Assert.Equal(1, await ScrapedMetrics.ValueAsync(_harness.Services, "extproc_admission_stale{pool=\"llama-a\"}"));
        _load.Engine("llama-a", _time.GetUtcNow(), waiting: 0, kvUsage: 0.1);
        Assert.Equal("llama-a", (await RunAsync(Chat("llama"))).Decision!.Pool);
        Assert.Equal(0, await ScrapedMetrics.ValueAsync(_harness.Services, "extproc_admission_stale{pool=\"llama-a\"}"));
    }

    [Fact]
    public async Task EndAsync_AdmittedRequest_ItsDurationEntersThePoolsMean()
    {
        _load.Engine("llama-a", _time.GetUtcNow(), waiting: 0, kvUsage: 0.1);
        var exchange = _harness.NewExchange(ApiKind.ChatCompletions, "/v1/chat/completions", Chat("llama"));
        await _harness.Pipeline.RunRequestAsync(exchange);

        _time.Advance(TimeSpan.FromSeconds(7));
        await exchange.EndAsync(ExchangeEnding.Completed);

        Assert.Equal(TimeSpan.FromSeconds(7), _harness.Services.GetRequiredService<PoolDurations>().MeanOf("llama-a"));
    }

    [Fact]
    public async Task RunRequestAsync_SaturationRamp_ShedsSheddableFirstOverflowsStandardAdmitsCritical()
    {
        // The primary saturated, the overflow pool not yet.
        _load.Engine("llama-a", _time.GetUtcNow(), waiting: 9, kvUsage: 0.5);
        _load.Engine("llama-b", _time.GetUtcNow(), waiting: 1, kvUsage: 0.2);

        Assert.Equal(429, (await RunAsync(Chat("llama"), "batch")).Result.Response!.Status);
        Assert.Equal("llama-b", (await RunAsync(Chat("llama"))).Decision!.Pool);
        Assert.Equal("llama-b", (await RunAsync(Chat("llama"), "vip")).Decision!.Pool);

        // Both saturated.
        _load.Engine("llama-b", _time.GetUtcNow(), waiting: 9, kvUsage: 0.2);

        Assert.Equal(429, (await RunAsync(Chat("llama"), "batch")).Result.Response!.Status);
        Assert.Equal(429, (await RunAsync(Chat("llama"))).Result.Response!.Status);
        var critical = await RunAsync(Chat("llama"), "vip");
        Assert.Equal(("llama-a", "admitted", "queue"), (critical.Decision!.Pool, critical.Exchange.Admission!.Decision, critical.Exchange.Admission.Reason));
    }

    [Fact]
    public async Task RunRequestAsync_CriticalWithEveryPoolUnavailable_Answers503()
    {
        _load.Set("llama-a", new PoolSamples([new EndpointLoad("down", false, _time.GetUtcNow(), null, null, null, null, "refused")], null));
        _load.Set("llama-b", new PoolSamples([new EndpointLoad("down", false, _time.GetUtcNow(), null, null, null, null, "refused")], null));

        Assert.Equal(503, (await RunAsync(Chat("llama"), "vip")).Result.Response!.Status);
    }

    [Fact]
    public async Task RunRequestAsync_PrimaryBreakerOpen_OverflowsThenAnswers503WithTheSoonestReopeningWhenBothAreOpen()
    {
        _load.Engine("llama-a", _time.GetUtcNow(), waiting: 0, kvUsage: 0.1);
        _load.Engine("llama-b", _time.GetUtcNow(), waiting: 0, kvUsage: 0.1);
        OpenBreaker("llama-a");

        var overflowed = await RunAsync(Chat("llama"));
        Assert.Equal("llama-b", overflowed.Decision!.Pool);
        Assert.Equal("breaker_open", overflowed.Exchange.Admission!.Pools[0].Reason);

        _time.Advance(TimeSpan.FromSeconds(12));
        OpenBreaker("llama-b");
        var refused = await RunAsync(Chat("llama"));

        // The soonest breaker to go half-open decides the wait: llama-a's, 30 - 12 s from now.
        Assert.Equal(503, refused.Result.Response!.Status);
        var headers = refused.Result.Response.Headers.ToDictionary(h => h.Key, h => h.Value);
        Assert.Equal(("breaker_open", "18"), (headers[AdmissionStage.ReasonHeader], headers["retry-after"]));
    }

    [Fact]
    public async Task RunRequestAsync_WarmupExchange_PassesWithoutJudgingOrRecording()
    {
        OpenBreaker("llama-a");
        OpenBreaker("llama-b");

        await using var exchange = AiSidecar.ExtProc.Health.WarmupService.WarmupExchange(_harness.Table, _harness.Services.GetRequiredService<ExchangeServices>(), "llama");
        var result = await _harness.Pipeline.RunRequestAsync(exchange);

        // A real request would get 503 breaker_open; the server's own warm-up takes no permit, lease or verdict.
        Assert.True(result.IsContinue);
        Assert.Equal("llama-a", exchange.Decision!.Pool);
        Assert.Null(exchange.Admission);
        Assert.Null(exchange.BreakerTicket);
        Assert.Equal(503, (await RunAsync(Chat("llama"))).Result.Response!.Status);
    }

    [Fact]
    public async Task RunRequestAsync_UnmonitoredPoolWithOpenBreaker_Answers503()
    {
        OpenBreaker("plain");

        var run = await RunAsync(Chat("small"));

        Assert.Equal(503, run.Result.Response!.Status);
        Assert.Contains(run.Result.Response.Headers, h => h is { Key: AdmissionStage.ReasonHeader, Value: "breaker_open" });
    }
}
