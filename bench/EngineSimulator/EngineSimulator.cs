using System.Text.Json;
using AiSidecar.EngineSimulator.Api;
using AiSidecar.EngineSimulator.Gpu;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiSidecar.EngineSimulator;

/// <summary>
/// An OpenAI-compatible model server that stands in for TEI or vLLM in the coalescing tests and benchmark:
/// <c>/v1/embeddings</c>, <c>/v1/rerank</c> and <c>/rerank</c>, <c>/v1/completions</c> in vLLM's formats, with
/// deterministic outputs, TEI's limits, a documented cost model on a virtual GPU clock, counters and fault controls.
/// Bench and tests only.
/// </summary>
public sealed class EngineSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IGpuScheduler _scheduler;
    private readonly FaultControls _faults = new();
    private readonly Lock _countersGate = new();
    private long _requests;
    private long _errors;
    private long _gpuBatches;
    private long _items;
    private long _tokens;
    private TimeSpan _busyTime;
    private int _largestBatch;
    private int _disposed;

    private EngineSimulator(SimulatorOptions options, WebApplication app)
    {
        Options = options;
        _app = app;
        var clock = new GpuClock(options.TimeProvider);
        _scheduler = options.Mode == SimulatorMode.Serial
            ? new SerialScheduler(options.CostModel, options.MaxBatchItems, options.MaxBatchTokens, clock, Record)
            : new BatchingScheduler(options.CostModel, options.MaxBatchItems, options.MaxBatchTokens, clock, Record);
    }

    /// <summary>The options it runs with.</summary>
    public SimulatorOptions Options { get; }

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:41234/</c>; endpoint paths are relative to it.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>
    /// Pooling inputs per second at the best batch the cost model allows: serial, a request of
    /// <c>MaxClientBatch</c> inputs at a time (request cost included); batching, GPU batches of <c>MaxBatchItems</c>
    /// (request costs overlap). The benchmark's "% of ideal" divides by this.
    /// </summary>
    public double IdealItemsPerSecond => Options.Mode == SimulatorMode.Serial
        ? Options.CostModel.ItemsPerSecond(Math.Min(Options.MaxClientBatch, Options.MaxBatchItems), withRequestCost: true)
        : Options.CostModel.ItemsPerSecond(Options.MaxBatchItems, withRequestCost: false);

    /// <summary>What it has done so far.</summary>
    public SimulatorCounters Counters
    {
        get
        {
            lock (_countersGate)
            {
                return new SimulatorCounters(_requests, _errors, _gpuBatches, _items, _tokens, _busyTime, _largestBatch);
            }
        }
    }

    /// <summary>Requests held by <see cref="Stall"/> now.</summary>
    public int HeldRequests => _faults.Held;

    /// <summary>Starts a simulator (on a free loopback port unless the options name one).</summary>
    public static async Task<EngineSimulator> StartAsync(SimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SimulatorOptions();
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.Address, options.Port));
        var app = builder.Build();
        var simulator = new EngineSimulator(options, app);
        app.MapPost("/v1/embeddings", http => simulator.HandleAsync(http, EmbeddingsApi.Prepare));
        app.MapPost("/v1/rerank", http => simulator.HandleAsync(http, RerankApi.Prepare));
        app.MapPost("/rerank", http => simulator.HandleAsync(http, RerankApi.Prepare));
        app.MapPost("/v1/completions", http => simulator.HandleAsync(http, CompletionsApi.Prepare));
        app.MapGet("/health", () => Results.Ok());
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await simulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        simulator.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return simulator;
    }

    /// <summary>
    /// The next <paramref name="count"/> requests answer <paramref name="status"/> (400-599) with an OpenAI-style
    /// error, before any work; replaces an earlier instruction.
    /// </summary>
    public void FailNext(int count, int status)
    {
        ArgumentOutOfRangeException.ThrowIfZero(status);
        _faults.FailNext(count, status);
    }

    /// <summary>The next <paramref name="count"/> requests have their connection reset, with no answer.</summary>
    public void ResetNext(int count) => _faults.FailNext(count, 0);

    /// <summary>Holds every request, before any work, until <see cref="Release"/> (or its client leaves).</summary>
    public void Stall() => _faults.Stall();

    /// <summary>Lets the held requests, and later ones, through.</summary>
    public void Release() => _faults.Release();

    /// <summary>Completes once <paramref name="count"/> requests are held at the same time.</summary>
    public Task WaitForHeldAsync(int count, CancellationToken cancellationToken = default) => _faults.WaitForHeldAsync(count, cancellationToken);

    /// <summary>Completes when the host stops (Ctrl+C, SIGTERM), for the command line.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Lets held requests go, ends the work in progress and stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _faults.Release();
        await _scheduler.DisposeAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext http, Func<JsonElement, RequestContext, PreparedRequest> prepare)
    {
        long number;
        lock (_countersGate)
        {
            number = ++_requests;
        }

        if (Options.ApiKey is not null && http.Request.Headers.Authorization != "Bearer " + Options.ApiKey)
        {
            await FailAsync(http, 401, "Unauthorized: a valid API key is required.", null).ConfigureAwait(false);
            return;
        }

        int? fault;
        try
        {
            fault = await _faults.PassAsync(http.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (fault is int status)
        {
            if (status == 0)
            {
                CountError();
                http.Abort();
                return;
            }

            await FailAsync(http, status, "A simulated failure.", null).ConfigureAwait(false);
            return;
        }

        PreparedRequest prepared;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw SimulatorException.Invalid("The body must be a JSON object.");
            }

            prepared = prepare(document.RootElement, new RequestContext(Options, number, Options.TimeProvider.GetUtcNow().ToUnixTimeSeconds()));
        }
        catch (JsonException)
        {
            await FailAsync(http, 400, "The body is not valid JSON.", null).ConfigureAwait(false);
            return;
        }
        catch (SimulatorException ex)
        {
            await FailAsync(http, ex.Status, ex.Message, ex.Param).ConfigureAwait(false);
            return;
        }

        await _scheduler.RunAsync(prepared.Work).ConfigureAwait(false);
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(prepared.Body, http.RequestAborted).ConfigureAwait(false);
    }

    private async Task FailAsync(HttpContext http, int status, string message, string? param)
    {
        CountError();
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(RequestJson.Error(status, message, param), http.RequestAborted).ConfigureAwait(false);
    }

    private void CountError()
    {
        lock (_countersGate)
        {
            _errors++;
        }
    }

    private void Record(GpuPass pass)
    {
        lock (_countersGate)
        {
            _gpuBatches++;
            _items += pass.NewItems;
            _tokens += pass.NewTokens;
            _busyTime += pass.End - pass.Start;
            _largestBatch = Math.Max(_largestBatch, pass.Sequences);
        }
    }
}
