using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace AiSidecar.ExtProc.Admission.Engines;

/// <summary>
/// Scrapes, every <c>admission.scrape.intervalMs</c>, each endpoint of each pool that has an <c>engine</c> in the
/// routing table in force, and records the load in <see cref="EngineLoad"/>. The table is read again at each tick,
/// so a reload that adds or removes pools or endpoints applies at the next one. Endpoints are scraped concurrently;
/// an endpoint whose previous scrape still runs is skipped for the tick (at most one scrape per endpoint at a time).
/// A failed scrape is not retried: the next tick is the retry. A pool's <c>engine.service</c> is resolved again
/// every <c>scrape.resolveSeconds</c>, in the background (a slow DNS answer never holds a tick up; a failed one keeps
/// the last known addresses). Without a pool with an <c>engine</c>, ticks do nothing and no connection is opened.
/// </summary>
internal sealed class EngineScraper(
    IRoutingTableSource routing,
    EngineLoad load,
    IHttpClientFactory clients,
    IAddressResolver resolver,
    IOptions<AdmissionOptions> options,
    TimeProvider time,
    ExtProcMetrics metrics,
    ILogger<EngineScraper> logger) : BackgroundService
{
    /// <summary>The name of the scraping <see cref="HttpClient"/> (its pipeline: <see cref="EnginesServiceCollectionExtensions"/>).</summary>
    public const string HttpClientName = "engine-scrape";

    private readonly ScrapeOptions _options = options.Value.Scrape;
    private readonly ConcurrentDictionary<(string Pool, string Url), byte> _inFlight = new();
    private readonly ConcurrentDictionary<string, Resolution> _services = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.IntervalMs), time);
        try
        {
            do
            {
                _ = TickAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the scrapes in flight are cancelled with the token.
        }
    }

    /// <summary>One tick: brings <see cref="EngineLoad"/>'s endpoints up to date with the table and starts their scrapes; the task ends when those scrapes do.</summary>
    internal Task TickAsync(CancellationToken cancellation)
    {
        var pools = Targets(routing.Current);
        load.Retain(pools.ToDictionary(p => p.Key, IReadOnlyList<string> (p) => [.. p.Value.Select(t => t.Url)], StringComparer.Ordinal));
        var scrapes = new List<Task>();
        foreach (var target in pools.Values.SelectMany(t => t))
        {
            if (_inFlight.TryAdd((target.Pool, target.Url), 0))
            {
                // Started from the tick itself: each runs until it waits for its endpoint (sending the request), and
                // the tick's one thread sends them all; a work item per scrape would wake a pool thread for each.
                scrapes.Add(ScrapeAsync(target, cancellation));
            }
        }

        return Task.WhenAll(scrapes);
    }

    /// <summary>Each pool with an <c>engine</c>, with its endpoints now (none while its Service resolves to nothing).</summary>
    private Dictionary<string, List<Target>> Targets(RoutingTable table)
    {
        var pools = new Dictionary<string, List<Target>>(StringComparer.Ordinal);
        var services = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pool in table.Catalog.Pools.Values)
        {
            if (pool.Engine is not { } engine)
            {
                continue;
            }

            var metricsOf = EngineMetrics.For(engine.Kind);
            var urls = new List<string>(engine.Endpoints);
            if (ServiceAddress.TryParse(engine.Service, out var service))
            {
                services.Add(engine.Service);
                urls.AddRange(Resolved(engine.Service, service.Value).Select(ip => $"http://{ServiceAddress.Endpoint(ip, service.Value.Port)}{engine.Path}"));
            }

            pools[pool.Name] = [.. urls.Distinct(StringComparer.Ordinal).Select(url => new Target(pool.Name, url, metricsOf))];
        }

        foreach (var gone in _services.Keys.Where(s => !services.Contains(s)))
        {
            _services.TryRemove(gone, out _);
        }

        return pools;
    }

    /// <summary>The addresses <paramref name="text"/> last resolved to; starts a resolution when due (its answer is used now if it is immediate, else at a later tick).</summary>
    private IPAddress[] Resolved(string text, ServiceAddress service)
    {
        var now = time.GetUtcNow();
        var known = _services.GetOrAdd(text, static _ => new Resolution());
        if (known.Pending is not { IsCompleted: false } && (known.At is null || now - known.At >= TimeSpan.FromSeconds(_options.ResolveSeconds)))
        {
            known.Pending = ResolveAsync(text, service, known);
        }

        return known.Addresses;
    }

    private async Task ResolveAsync(string text, ServiceAddress service, Resolution known)
    {
        try
        {
            var addresses = await resolver.ResolveAsync(service.Host, CancellationToken.None).ConfigureAwait(false);
            known.Addresses = [.. addresses.Distinct().Order(IpOrder.Instance)];
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ArgumentException or OperationCanceledException)
        {
            EngineLog.ServiceUnresolved(logger, text, e.Message);
        }
        finally
        {
            known.At = time.GetUtcNow();
        }
    }

    private async Task ScrapeAsync(Target target, CancellationToken cancellation)
    {
        var started = time.GetTimestamp();
        EndpointLoad result;
        string outcome;
        try
        {
            var reading = await ReadAsync(target, cancellation).ConfigureAwait(false);
            (result, outcome) = (EndpointLoad.Success(target.Url, time.GetUtcNow(), reading), "success");
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            var (failure, error) = Outcome(e);
            (result, outcome) = (EndpointLoad.Failure(target.Url, time.GetUtcNow(), error), failure);
        }
        finally
        {
            _inFlight.TryRemove((target.Pool, target.Url), out _);
        }

        metrics.EngineScraped(target.Pool, outcome, time.GetElapsedTime(started));
        load.Record(target.Pool, result);
    }

    private async Task<EngineReading> ReadAsync(Target target, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, target.Url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain") { Parameters = { new("version", "0.0.4") } });
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/openmetrics-text", 0.5));
        // Headers-read: the pipeline's page limit has read the body already; the client's own buffering would copy the
        // pooled page into a fresh array of its own.
        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new ScrapeStatusException(response.StatusCode);
        }

        // Read whole into a pooled buffer by the pipeline's page limit; the buffer returns to the pool with the response.
        return target.Metrics.Read(MetricsTextParser.Parse(((ScrapedPage)response.Content).Bytes, target.Metrics.Wanted));
    }

    /// <summary>The result label and the error recorded for a failed scrape.</summary>
    private (string Result, string Error) Outcome(Exception e) => e switch
    {
        TimeoutRejectedException or OperationCanceledException => ("timeout", $"no answer within {_options.TimeoutMs} ms"),
        ScrapeStatusException status => ("http_error", status.Message),
        MetricsFormatException or ScrapeTooLargeException => ("invalid", e.Message),
        _ => ("unreachable", e.Message),
    };

    private sealed record Target(string Pool, string Url, EngineMetrics Metrics);

    private sealed class Resolution
    {
        public volatile IPAddress[] Addresses = [];
        public DateTimeOffset? At;
        public volatile Task? Pending;
    }

    private sealed class IpOrder : IComparer<IPAddress>
    {
        public static readonly IpOrder Instance = new();

        public int Compare(IPAddress? x, IPAddress? y) => string.CompareOrdinal(x?.ToString(), y?.ToString());
    }
}

/// <summary>A metrics endpoint answered with a status other than 2xx.</summary>
internal sealed class ScrapeStatusException(HttpStatusCode status) : Exception($"HTTP {(int)status} {status}");
