using System.Collections.Concurrent;
using System.Net;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Admission.Gpu;
using AiSidecar.ExtProc.Tests.Admission.Gpu;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.ExtProc.Bench;
using AiSidecar.GpuAgent.Tests.Fakes;
using AiSidecar.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Admission;

/// <summary>
/// The whole server with live telemetry: a real GPU agent on the fake NVML library watched over gRPC, and real HTTP
/// endpoints serving scripted vLLM metrics; requests through the Envoy-faithful client. The server runs on a fake
/// clock: a scrape round happens when a test moves the clock on by the scrape interval (and a scrape never times out
/// on a busy machine), a Watch update when the agent is asked to sample. Each step changes the world, waits until the
/// server has seen the change, then sends requests.
/// </summary>
[Collection(FakeNvmlGroup.Name)]
public sealed class AdmissionScenarioTests : IAsyncLifetime
{
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromMilliseconds(250);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentDictionary<string, string> _pages = new(StringComparer.Ordinal);
    private WebApplication _engines = null!;
    private InProcessGpuAgent _agent = null!;
    private TestExtProcServer _server = null!;

    public async Task InitializeAsync()
    {
        FakeNvml.ResetWithGpus(2);
        _agent = await InProcessGpuAgent.StartAsync(poolLabel: "h100");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _engines = builder.Build();
        _engines.MapGet("/{pool}/metrics", (string pool) => _pages.TryGetValue(pool, out var page) ? Results.Text(page, "text/plain; version=0.0.4") : Results.NotFound());
        await _engines.StartAsync();
        var engines = _engines.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        SetLoad("a", waiting: 0);
        SetLoad("b", waiting: 0);

        // Stale telemetry has its own scenarios (AdmissionClockScenarioTests): here the GPU updates never age out.
        _server = await TestExtProcServer.StartAsync($$"""
            admission:
              gpuAgents: { addresses: ["{{_agent.Address}}"] }
              staleAfterMs: 600000
              priority:
                tenantHeader: x-tenant
                tenants: { batch: sheddable, vip: critical }
            catalogue:
              unknownModels: reject
              pools:
                - name: llama-a
                  engine: { kind: vllm, endpoints: ["{{engines}}/a/metrics"] }
                  gpus: { nodeLabels: { pool: h100 } }
                - name: llama-b
                  engine: { kind: vllm, endpoints: ["{{engines}}/b/metrics"] }
              models:
                - name: llama
                  versions: [{ name: v1, pool: llama-a, servedModel: llama-bf16 }]
                  overflow: [{ pool: llama-b, servedModel: llama-fp8 }]
            """, s => s.AddSingleton<TimeProvider>(_time), "--processing:messageTimeoutMs=60000");
        await SeenAsync(a => a == 0, b => b == 0);
        await Until.TrueAsync(() => Fleet.Evaluate(H100).Healthy == 2, "the agent's two healthy GPUs");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _agent.DisposeAsync();
        await _engines.StopAsync();
        await _engines.DisposeAsync();
    }

    private static PoolGpuOptions H100 { get; } = new() { NodeLabels = { ["pool"] = "h100" } };

    private GpuFleet Fleet => _server.App.Services.GetRequiredService<GpuFleet>();

    private void SetLoad(string pool, double waiting, double kvUsage = 0.2) =>
        _pages[pool] = EnginePages.Vllm(waiting, running: 8, kvUsage, gpuBlocks: 10_000);

    /// <summary>
    /// Waits for the scrape round of this instant to end, moves the clock on to the next round and waits for that one:
    /// both endpoints scraped at the new instant. (Moving the clock while a scrape is out would time it out.)
    /// </summary>
    private async Task ScrapeRoundAsync()
    {
        var load = _server.App.Services.GetRequiredService<EngineLoad>();
        bool RoundDone() => load.For("llama-a")?.Endpoints[0].ScrapedAt == _time.GetUtcNow() && load.For("llama-b")?.Endpoints[0].ScrapedAt == _time.GetUtcNow();
        await Until.TrueAsync(RoundDone, "the scrape round in progress");
        _time.Advance(ScrapeInterval);
        await Until.TrueAsync(RoundDone, "the next scrape round");
    }

    /// <summary>Runs a scrape round and checks it shows the waiting counts the conditions accept.</summary>
    private async Task SeenAsync(Func<double?, bool> a, Func<double?, bool> b)
    {
        await ScrapeRoundAsync();
        var load = _server.App.Services.GetRequiredService<EngineLoad>();
        Assert.True(a(load.For("llama-a")!.Endpoints[0].Waiting) && b(load.For("llama-b")!.Endpoints[0].Waiting), "the scrapes show the new load");
    }

    private async Task<ExchangeResult> SendAsync(string? tenant = null)
    {
        var request = DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hello there", "llama"));
        if (tenant is not null)
        {
            request.Headers.Add("x-tenant", tenant);
        }

        return await _server.Client().RunAsync(HttpExchange.For(request));
    }

    /// <summary>The pool the request was sent to, or the status of the local answer.</summary>
    private async Task<string> OutcomeAsync(string? tenant = null)
    {
        var result = await SendAsync(tenant);
        return result.Forwarded is { } forwarded ? forwarded.Headers.GetAll("x-ai-pool").Single() : result.Response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Process_SaturationRampAndRecovery_ShedsSheddableFirstOverflowsStandardAdmitsCritical()
    {
        Assert.Equal(["llama-a", "llama-a", "llama-a"], [await OutcomeAsync("batch"), await OutcomeAsync(), await OutcomeAsync("vip")]);

        SetLoad("a", waiting: 9);
        await SeenAsync(a => a == 9, b => b == 0);
        Assert.Equal(["429", "llama-b", "llama-b"], [await OutcomeAsync("batch"), await OutcomeAsync(), await OutcomeAsync("vip")]);

        SetLoad("b", waiting: 12);
        await SeenAsync(a => a == 9, b => b == 12);
        Assert.Equal(["429", "429", "llama-a"], [await OutcomeAsync("batch"), await OutcomeAsync(), await OutcomeAsync("vip")]);
        var shed = await SendAsync();
        Assert.Equal("queue", shed.Response.Headers.GetAll("x-ai-admission-reason").Single());
        Assert.InRange(int.Parse(shed.Response.Headers.GetAll("retry-after").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 120);

        SetLoad("a", waiting: 1);
        SetLoad("b", waiting: 1);
        await SeenAsync(a => a == 1, b => b == 1);
        Assert.Equal(["llama-a", "llama-a", "llama-a"], [await OutcomeAsync("batch"), await OutcomeAsync(), await OutcomeAsync("vip")]);
    }

    [Fact]
    public async Task Process_PoolsGpusTurnUnhealthy_TrafficMovesAwayWithinOneWatchUpdate()
    {
        var overflowed = await SendAsync();
        Assert.Equal("llama-a", overflowed.Forwarded!.Headers.GetAll("x-ai-pool").Single());

        FakeNvml.SetLost(0, 1);
        FakeNvml.SetLost(1, 1);
        var before = Fleet.Current.Version;
        await _agent.SampleAsync();
        await Until.TrueAsync(() => Fleet.Current.Version > before && Fleet.Evaluate(H100).Healthy == 0, "the Watch update with both GPUs lost");

        var moved = await SendAsync();
        Assert.Equal("llama-b", moved.Forwarded!.Headers.GetAll("x-ai-pool").Single());
        Assert.Contains("\"model\":\"llama-fp8\"", System.Text.Encoding.UTF8.GetString(moved.Forwarded.Body), StringComparison.Ordinal);

        // Nowhere healthy left: llama-b's engine stops answering too.
        _pages.TryRemove("b", out _);
        await SeenAsync(a => a == 0, b => b is null);
        var refused = await SendAsync("vip");
        Assert.Equal(503, refused.Response.Status);
        Assert.Equal("gpu_unhealthy", refused.Response.Headers.GetAll("x-ai-admission-reason").Single());
    }
}
