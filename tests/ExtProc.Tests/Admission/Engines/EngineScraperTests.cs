using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Bench;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tests.Infrastructure;
using AiSidecar.ExtProc.Tokenization;
using AiSidecar.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Admission.Engines;

/// <summary>The scraper against real HTTP endpoints (Kestrel on loopback) serving scripted engine pages; time is fake.</summary>
public sealed class EngineScraperTests : IAsyncLifetime, IDisposable
{
    private readonly ConcurrentDictionary<string, string> _pages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _slowReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeResolver _resolver = new();
    private readonly ListLogger<EngineLoad> _log = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly CancellationTokenSource _stop = new();
    private WebApplication _engines = null!;
    private string _base = "";
    private ServiceProvider _services = null!;
    private TableSource _routing = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _engines = builder.Build();
        _engines.Use(async (HttpContext context, Func<Task> next) =>
        {
            _requests.AddOrUpdate(context.Request.Path, 1, (_, n) => n + 1);
            await next();
        });
        _engines.MapGet("/slow", async context =>
        {
            _slowReached.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        _engines.MapGet("/fail", () => Results.StatusCode(500));
        _engines.MapGet("/big", async context =>
        {
            context.Response.ContentLength = ScrapeBodyLimitHandler.MaxPageBytes + 1;
            await context.Response.Body.WriteAsync("# HELP "u8.ToArray());
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        _engines.MapGet("/chunked", async context =>
        {
            // No Content-Length: the page arrives in pieces, as from a server that streams it.
            context.Response.ContentType = "text/plain; version=0.0.4";
            var page = Encoding.UTF8.GetBytes(_pages["vllm"]);
            for (var at = 0; at < page.Length; at += 5000)
            {
                await context.Response.Body.WriteAsync(page.AsMemory(at, Math.Min(5000, page.Length - at)));
                await context.Response.Body.FlushAsync();
            }
        });
        _engines.MapGet("/endless", async context =>
        {
            var line = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("other_total 1\n", 4096)));
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(line, context.RequestAborted).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        _engines.MapGet("/{name}", (string name) => _pages.TryGetValue(name, out var page) ? Results.Text(page, "text/plain; version=0.0.4") : Results.NotFound());
        await _engines.StartAsync();
        _base = _engines.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _pages["vllm"] = EnginePages.Vllm(waiting: 4, running: 12, kvUsage: 0.625, gpuBlocks: 1000);
        _pages["sglang"] = EnginePages.Sglang(queued: 7, running: 30, tokenUsage: 0.28);
        _pages["tgi"] = EnginePages.Tgi(queueSize: 3, batchSize: 16);
        _pages["trtllm"] = EnginePages.Trtllm(waiting: 2, running: 8, kvUtilization: 0.4);
        _pages["garbage"] = "<html><body>Welcome</body></html>";
    }

    public async Task DisposeAsync()
    {
        // Scrapes still in flight are cancelled first (the resilience pipelines' disposal waits for them), then the endpoints stop.
        await _stop.CancelAsync();
        _slowReached.TrySetResult();
        if (_services is not null)
        {
            // The pipelines' disposal waits on the fake clock while a cancelled scrape unwinds: move the clock on until it ends.
            var disposing = _services.DisposeAsync().AsTask();
            while (!disposing.IsCompleted)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAny(disposing, Task.Delay(10));
            }

            await disposing;
        }

        await _engines.StopAsync(_stop.Token);
        await _engines.DisposeAsync();
    }

    public void Dispose() => _stop.Dispose();

    [Fact]
    public async Task TickAsync_OnePoolPerEngine_RecordsEachEnginesLoad()
    {
        var scraper = Start(Pool("a", "vllm", Url("vllm")) + Pool("b", "sglang", Url("sglang")) + Pool("c", "tgi", Url("tgi")) + Pool("d", "trtllm", Url("trtllm")));

        await scraper.TickAsync(_stop.Token);

        var load = Load;
        Assert.Equal(new EndpointLoad(Url("vllm"), true, _time.GetUtcNow(), 4, 12, 0.625, 16_000, null), Assert.Single(load.For("a")!.Endpoints));
        Assert.Equal(new EndpointLoad(Url("sglang"), true, _time.GetUtcNow(), 7, 30, 0.28, 161_721, null), Assert.Single(load.For("b")!.Endpoints));
        Assert.Equal(new EndpointLoad(Url("tgi"), true, _time.GetUtcNow(), 3, 16, null, null, null), Assert.Single(load.For("c")!.Endpoints));
        Assert.Equal(new EndpointLoad(Url("trtllm"), true, _time.GetUtcNow(), 2, 8, 0.4, 4096 * 32, null), Assert.Single(load.For("d")!.Endpoints));
        Assert.Null(load.For("missing"));
    }

    [Fact]
    public async Task TickAsync_BrokenEndpoints_AreDownWithTheirErrorAndTheOthersUnaffected()
    {
        var refused = RefusedUrl();
        var scraper = Start(Pool("a", "vllm", Url("vllm"), Url("fail"), Url("garbage"), Url("big"), refused));

        await scraper.TickAsync(_stop.Token);

        var endpoints = Load.For("a")!.Endpoints.ToDictionary(e => e.Endpoint);
        Assert.True(endpoints[Url("vllm")].Up);
        Assert.Equal(4, endpoints[Url("vllm")].Waiting);
        Assert.Equal("HTTP 500 InternalServerError", endpoints[Url("fail")].Error);
        Assert.StartsWith("line 1: expected a metric name", endpoints[Url("garbage")].Error, StringComparison.Ordinal);
        Assert.Equal($"the metrics page is larger than {ScrapeBodyLimitHandler.MaxPageBytes} bytes", endpoints[Url("big")].Error);
        Assert.Contains("refused", endpoints[refused].Error, StringComparison.OrdinalIgnoreCase);
        Assert.All(endpoints.Values.Where(e => e.Endpoint != Url("vllm")), e => Assert.Equal((false, null, _time.GetUtcNow()), (e.Up, e.Waiting, e.ScrapedAt)));
    }

    [Fact]
    public async Task TickAsync_PagesWithoutContentLength_AreReadWholeUpToTheLimit()
    {
        var scraper = Start(Pool("a", "vllm", Url("chunked"), Url("endless")));

        await scraper.TickAsync(_stop.Token);

        var endpoints = Load.For("a")!.Endpoints;
        Assert.Equal((true, 4.0, 12.0, 0.625), (endpoints[0].Up, endpoints[0].Waiting, endpoints[0].Running, endpoints[0].KvUsage));
        Assert.Equal((false, $"the metrics page is larger than {ScrapeBodyLimitHandler.MaxPageBytes} bytes"), (endpoints[1].Up, endpoints[1].Error));
    }

    [Fact]
    public async Task TickAsync_ScrapesAndATimeout_WriteNoLogLinePerScrape()
    {
        var scraper = Start(Pool("a", "vllm", Url("slow"), Url("vllm")));

        var first = scraper.TickAsync(_stop.Token);
        await _slowReached.Task.WaitAsync(Until.Guard);
        await Until.TrueAsync(() => Load.For("a")!.Endpoints[1].Up, "the first scrape of the answering endpoint");
        _time.Advance(TimeSpan.FromMilliseconds(new ScrapeOptions().TimeoutMs));
        await first.WaitAsync(Until.Guard);

        // The factory's request logging (4 lines per scrape at Information) and Polly's timeout event (Error) are off;
        // the endpoint's going down is EngineLoad's one line.
        Assert.False(Load.For("a")!.Endpoints[0].Up);
        Assert.DoesNotContain(_logs.Entries, e => e.Category.StartsWith("System.Net.Http", StringComparison.Ordinal) || e.Category.StartsWith("Polly", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, l => l.Message.Contains("is down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TickAsync_EndpointGoingDownAndUp_LogsOnlyTheTransitions()
    {
        _pages["flaky"] = "<html/>";
        var scraper = Start(Pool("a", "vllm", Url("flaky"), Url("vllm")));

        await scraper.TickAsync(_stop.Token);
        await scraper.TickAsync(_stop.Token);
        _pages["flaky"] = _pages["vllm"];
        await scraper.TickAsync(_stop.Token);
        await scraper.TickAsync(_stop.Token);

        Assert.Equal(
            [$"Engine endpoint {Url("flaky")} of pool a is down: line 1: expected a metric name.", $"Engine endpoint {Url("flaky")} of pool a is up again."],
            _log.Lines.Select(l => l.Message));
        Assert.True(Load.For("a")!.Endpoints[0].Up);
    }

    [Fact]
    public async Task TickAsync_EndpointNotAnsweringInTime_IsDownAfterTheTimeoutAndNotScrapedTwiceMeanwhile()
    {
        var scraper = Start(Pool("a", "vllm", Url("slow"), Url("vllm")));

        var first = scraper.TickAsync(_stop.Token);
        await _slowReached.Task.WaitAsync(Until.Guard);
        await Until.TrueAsync(() => Load.For("a")!.Endpoints[1].Up, "the first scrape of the answering endpoint");
        await scraper.TickAsync(_stop.Token);
        Assert.Equal(1, _requests["/slow"]);
        Assert.Equal(2, _requests["/vllm"]);
        Assert.Equal("not scraped yet", Load.For("a")!.Endpoints[0].Error);

        _time.Advance(TimeSpan.FromMilliseconds(new ScrapeOptions().TimeoutMs));
        await first.WaitAsync(Until.Guard);

        var slow = Load.For("a")!.Endpoints[0];
        Assert.Equal((false, $"no answer within {new ScrapeOptions().TimeoutMs} ms"), (slow.Up, slow.Error));
        Assert.True(Load.For("a")!.Endpoints[1].Up);
    }

    [Fact]
    public async Task TickAsync_ReloadAddingAndRemovingPoolsAndEndpoints_AppliesAtTheNextTick()
    {
        var scraper = Start(Pool("a", "vllm", Url("vllm")) + Pool("b", "tgi", Url("tgi")));
        await scraper.TickAsync(_stop.Token);
        var before = Load.Version;

        _routing.Use(Pool("a", "vllm", Url("vllm"), Url("sglang")) + Pool("c", "trtllm", Url("trtllm")));
        Assert.NotNull(Load.For("b"));
        await scraper.TickAsync(_stop.Token);

        Assert.Null(Load.For("b"));
        Assert.Equal([Url("vllm"), Url("sglang")], Load.For("a")!.Endpoints.Select(e => e.Endpoint));
        Assert.True(Load.For("c")!.Endpoints[0].Up);
        Assert.True(Load.Version > before);
    }

    [Fact]
    public async Task TickAsync_HeadlessService_ScrapesEveryAddressAndResolvesAgainWhenDue()
    {
        var port = new Uri(_base).Port;
        _resolver.Answer = [IPAddress.Loopback];
        var scraper = Start(ServicePool("a", "vllm", $"vllm.llm.svc.cluster.local:{port}", "/vllm"));

        await scraper.TickAsync(_stop.Token);
        var endpoint = Assert.Single(Load.For("a")!.Endpoints);
        Assert.Equal(($"http://127.0.0.1:{port}/vllm", true), (endpoint.Endpoint, endpoint.Up));
        Assert.Equal(["vllm.llm.svc.cluster.local"], _resolver.Asked);

        _resolver.Answer = [];
        _time.Advance(TimeSpan.FromSeconds(new ScrapeOptions().ResolveSeconds - 1));
        await scraper.TickAsync(_stop.Token);
        Assert.Single(Load.For("a")!.Endpoints);

        _time.Advance(TimeSpan.FromSeconds(1));
        await scraper.TickAsync(_stop.Token);
        Assert.Empty(Load.For("a")!.Endpoints);
        Assert.Equal(2, _resolver.Asked.Count);
    }

    [Fact]
    public async Task ExecuteAsync_Started_ScrapesAtOnceAndThenEveryInterval()
    {
        var scraper = Start(Pool("a", "tgi", Url("tgi")));

        await scraper.StartAsync(CancellationToken.None);
        await Until.TrueAsync(() => Load.For("a")?.Endpoints[0].Up == true, "the first scrape");
        _time.Advance(TimeSpan.FromMilliseconds(new ScrapeOptions().IntervalMs));
        await Until.TrueAsync(() => _requests.GetValueOrDefault("/tgi") == 2, "the second scrape");
        await scraper.StopAsync(CancellationToken.None);

        Assert.Equal(2, _requests["/tgi"]);
    }

    private EngineLoadSnapshot Load => _services.GetRequiredService<EngineLoad>().Current;

    private string Url(string name) => $"{_base}/{name}";

    private static string RefusedUrl()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return $"http://127.0.0.1:{((IPEndPoint)socket.LocalEndPoint!).Port}/metrics";
    }

    private static string Pool(string name, string kind, params string[] endpoints) => Pool(name, kind, endpoints, "", "/metrics");

    private static string ServicePool(string name, string kind, string service, string path) => Pool(name, kind, [], service, path);

    private static string Pool(string name, string kind, string[] endpoints, string service, string path) => $"""
            - name: {name}
              engine:
                kind: {kind}
                endpoints: [{string.Join(", ", endpoints)}]
                service: "{service}"
                path: {path}

        """;

    private EngineScraper Start(string pools)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ILoggerProvider>(_logs);
        services.AddExtProcTelemetry(new TelemetryOptions());
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<IAddressResolver>(_resolver);
        services.AddSingleton<ILogger<EngineLoad>>(_log);
        services.AddSingleton(Options.Create(new AdmissionOptions()));
        services.AddSingleton(sp => new TokenizerCache(Options.Create(new TokenizationOptions()), sp.GetRequiredService<ExtProcMetrics>(), NullLogger<TokenizerCache>.Instance));
        services.AddSingleton<TableSource>();
        services.AddSingleton<IRoutingTableSource>(sp => sp.GetRequiredService<TableSource>());
        services.AddEngineLoad();
        _services = services.BuildServiceProvider();
        _routing = _services.GetRequiredService<TableSource>();
        _routing.Use(pools);
        return _services.GetServices<IHostedService>().OfType<EngineScraper>().Single();
    }

    /// <summary>A routing table source whose table a test replaces, as a reload does.</summary>
    private sealed class TableSource(TokenizerCache tokenizers) : IRoutingTableSource
    {
        private int _generation;

        public RoutingTable Current { get; private set; } = null!;

        public void Use(string pools)
        {
            var config = TestConfigs.Load("catalogue:\n  pools:\n" + pools).Config;
            Current = RoutingTableSource.Compile(config, tokenizers, ++_generation);
        }
    }

    private sealed class FakeResolver : IAddressResolver
    {
        public IPAddress[] Answer { get; set; } = [];

        public List<string> Asked { get; } = [];

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellation)
        {
            Asked.Add(host);
            return Task.FromResult(Answer);
        }
    }
}
