using AiSidecar.ExtProc.Admission.Gpu;
using AiSidecar.ExtProc.Tests.Admission.Gpu;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.GpuAgent.Tests.Fakes;
using AiSidecar.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Admission;

/// <summary>
/// The whole server, on a fake clock, with a real GPU agent on the fake NVML library watched over gRPC and requests
/// (and their upstream answers) through the Envoy-faithful client: telemetry going stale in both modes, and a pool's
/// breaker through a 5xx storm, its open period, its probes and its closing. The clock moves only when a test moves it,
/// so "older than staleAfterMs" and "open for openSeconds" are exact; the agent sends an update only when asked.
/// </summary>
[Collection(FakeNvmlGroup.Name)]
public sealed class AdmissionClockScenarioTests : IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new();
    private InProcessGpuAgent _agent = null!;
    private TestExtProcServer _server = null!;

    public async Task InitializeAsync()
    {
        FakeNvml.ResetWithGpus(2);
        _agent = await InProcessGpuAgent.StartAsync(poolLabel: "h100");
        _server = await TestExtProcServer.StartAsync($$"""
            admission:
              gpuAgents: { addresses: ["{{_agent.Address}}"] }
              staleAfterMs: 2000
              breaker: { failures: 3, openSeconds: 10, halfOpenProbes: 2 }
              priority:
                tenantHeader: x-tenant
                tenants: { batch: sheddable }
            catalogue:
              unknownModels: reject
              pools:
                - name: closed
                  gpus: { nodeLabels: { pool: h100 } }
                  admission: { staleTelemetry: saturated }
                - name: open
                  gpus: { nodeLabels: { pool: h100 } }
                  admission: { staleTelemetry: healthy }
                - name: spare
              models:
                - name: strict
                  versions: [{ name: v1, pool: closed, servedModel: strict-bf16 }]
                  overflow: [{ pool: spare, servedModel: strict-fp8 }]
                - name: lenient
                  versions: [{ name: v1, pool: open }]
            """,
            s => s.AddSingleton<TimeProvider>(_time).AddSingleton<ILoggerProvider>(_logs),
            "--processing:messageTimeoutMs=60000", "--Logging:LogLevel:AiSidecar.ExtProc.Admission=Information");
        await UpdateAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _agent.DisposeAsync();
    }

    public void Dispose() => _logs.Dispose();

    private GpuFleet Fleet => _server.App.Services.GetRequiredService<GpuFleet>();

    /// <summary>The agent samples its GPUs once; returns when the server has the Watch update (stamped with the fake clock's now).</summary>
    private async Task UpdateAsync()
    {
        var before = Fleet.Current.Version;
        await _agent.SampleAsync();
        await Until.TrueAsync(() => Fleet.Current.Version > before, "the agent's Watch update");
    }

    private Task<ExchangeResult> SendAsync(string model, string? tenant = null, int upstreamStatus = 200)
    {
        var request = DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hello there", model));
        if (tenant is not null)
        {
            request.Headers.Add("x-tenant", tenant);
        }

        return _server.Client().RunAsync(HttpExchange.For(request, UpstreamResponse.Json("{\"error\":{}}", upstreamStatus)));
    }

    /// <summary>The pool the request was sent to, or the status of the local answer and its reason.</summary>
    private async Task<string> OutcomeAsync(string model, string? tenant = null, int upstreamStatus = 200)
    {
        var result = await SendAsync(model, tenant, upstreamStatus);
        return result.Forwarded is { } forwarded
            ? forwarded.Headers.GetAll("x-ai-pool").Single()
            : $"{result.Response.Status} {result.Response.Headers.GetAll("x-ai-admission-reason").Single()}";
    }

    private Task<double> MetricAsync(string series) => ScrapedMetrics.ValueAsync(_server.App.Services, series);

    private int LogCount(string eventName, string pool) =>
        _logs.Entries.Count(e => e.EventName == eventName && e.Message.Contains($"pool {pool} ", StringComparison.Ordinal));

    [Fact]
    public async Task Process_GpuTelemetryGoesStaleAndComesBack_FailClosedPoolSaturatesFailOpenPoolAdmits()
    {
        Assert.Equal(["closed", "closed", "open"], [await OutcomeAsync("strict"), await OutcomeAsync("strict", "batch"), await OutcomeAsync("lenient")]);

        // No Watch update for longer than staleAfterMs (the agent alive but silent, as with a hung NVML).
        _time.Advance(TimeSpan.FromMilliseconds(2001));

        // Fail-closed: the pool counts as saturated: standard overflows, sheddable is shed and told to come back after
        // staleAfterMs. Fail-open: the pool counts as having headroom.
        Assert.Equal("spare", await OutcomeAsync("strict"));
        var shed = await SendAsync("strict", "batch");
        Assert.Equal((429, "stale_telemetry", "2"), (shed.Response.Status, shed.Response.Headers.GetAll("x-ai-admission-reason").Single(), shed.Response.Headers.GetAll("retry-after").Single()));
        Assert.Equal("open", await OutcomeAsync("lenient"));
        Assert.Equal((1, 1), (await MetricAsync("extproc_admission_stale{pool=\"closed\"}"), await MetricAsync("extproc_admission_stale{pool=\"open\"}")));

        // Still stale: no second log line for the same transition.
        Assert.Equal("spare", await OutcomeAsync("strict"));
        Assert.Equal((1, 1), (LogCount("TelemetryStale", "closed"), LogCount("TelemetryStale", "open")));

        // The next update makes both fresh again.
        await UpdateAsync();
        Assert.Equal(["closed", "closed", "open"], [await OutcomeAsync("strict"), await OutcomeAsync("strict", "batch"), await OutcomeAsync("lenient")]);
        Assert.Equal((0, 0), (await MetricAsync("extproc_admission_stale{pool=\"closed\"}"), await MetricAsync("extproc_admission_stale{pool=\"open\"}")));
        Assert.Equal((1, 1), (LogCount("TelemetryFresh", "closed"), LogCount("TelemetryFresh", "open")));
    }

    [Fact]
    public async Task Process_FiveHundredStormOnAPool_BreakerOpensOverflowsHalfOpensAndClosesOnProbes()
    {
        // Three 503s in a row from the pool open its breaker: the next request overflows without reaching it.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("closed", await OutcomeAsync("strict", upstreamStatus: 503));
        }

        Assert.Equal(2, await MetricAsync("extproc_breaker_state{pool=\"closed\"}"));
        Assert.Equal("spare", await OutcomeAsync("strict"));

        // A pool with nowhere to overflow answers 503 at once while its breaker is open, with the time left to wait.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("open", await OutcomeAsync("lenient", upstreamStatus: 502));
        }

        _time.Advance(TimeSpan.FromSeconds(4));
        var refused = await SendAsync("lenient");
        Assert.Equal((503, "breaker_open", "6"), (refused.Response.Status, refused.Response.Headers.GetAll("x-ai-admission-reason").Single(), refused.Response.Headers.GetAll("retry-after").Single()));

        // After openSeconds: half-open. A failing probe opens it again for another open period.
        _time.Advance(TimeSpan.FromSeconds(6));
        await UpdateAsync();
        Assert.Equal(1, await MetricAsync("extproc_breaker_state{pool=\"closed\"}"));
        Assert.Equal("closed", await OutcomeAsync("strict", upstreamStatus: 500));
        Assert.Equal(2, await MetricAsync("extproc_breaker_state{pool=\"closed\"}"));
        Assert.Equal("spare", await OutcomeAsync("strict"));

        // Half-open again: two succeeding probes close it, and traffic is back on the pool.
        _time.Advance(TimeSpan.FromSeconds(10));
        await UpdateAsync();
        Assert.Equal(["closed", "closed"], [await OutcomeAsync("strict"), await OutcomeAsync("strict")]);
        Assert.Equal(0, await MetricAsync("extproc_breaker_state{pool=\"closed\"}"));
        Assert.Equal(["closed", "open"], [await OutcomeAsync("strict"), await OutcomeAsync("lenient", upstreamStatus: 200)]);
        Assert.Equal(2, await MetricAsync("extproc_breaker_transitions_total{pool=\"closed\",state=\"open\"}"));
        Assert.Equal(1, await MetricAsync("extproc_breaker_transitions_total{pool=\"closed\",state=\"closed\"}"));
    }
}
