using System.Diagnostics.Metrics;
using AiSidecar.ExtProc.Admission.Breaker;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Admission.Gpu;
using AiSidecar.ExtProc.Admission.Priority;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>Admission's instruments: decisions, priority classes, pool breakers, GPU agents and engine scraping (docs/admission.md, "Metrics").</summary>
internal sealed partial class ExtProcMetrics
{
    /// <summary>An admission decision for a request to a monitored pool.</summary>
    public void AdmissionDecided(string pool, RequestPriority priority, string decision, string reason) =>
        _admission.Decisions.Add(1, [new("pool", pool), new("priority", PriorityLabels.Of(priority)), new("decision", decision), new("reason", reason)]);

    public void AdmissionOverflowed(string from, string to) => _admission.Overflows.Add(1, [new("from", from), new("to", to)]);

    public void AdmissionTelemetryAge(string pool, TimeSpan age) => _admission.TelemetryAge.Record(age.TotalSeconds, new KeyValuePair<string, object?>("pool", pool));

    public void AdmissionStale(string pool, bool stale) => _admission.Stale.Record(stale ? 1 : 0, new KeyValuePair<string, object?>("pool", pool));

    /// <summary>A request's priority class and its source, and the priority header ignored on the way, if any. Never the header's value.</summary>
    public void Prioritized(PriorityResolution resolution)
    {
        _admission.PriorityRequests.Add(1, new KeyValuePair<string, object?>("priority", PriorityLabels.Of(resolution.Priority)), new("source", SourceLabel(resolution.Source)));
        if (resolution.Ignored != IgnoredPriority.None)
        {
            _admission.PriorityIgnored.Add(1, new KeyValuePair<string, object?>("reason", resolution.Ignored == IgnoredPriority.Invalid ? "invalid" : "untrusted"));
        }
    }

    public void BreakerState(string pool, BreakerState state) => _admission.BreakerState.Record((int)state, new KeyValuePair<string, object?>("pool", pool));

    public void BreakerTransition(string pool, BreakerState state) =>
        _admission.BreakerTransitions.Add(1, new KeyValuePair<string, object?>("pool", pool), new("state", BreakerStateLabel(state)));

    public void BreakerOutcome(string pool, bool success) =>
        _admission.BreakerOutcomes.Add(1, new KeyValuePair<string, object?>("pool", pool), new("outcome", success ? "success" : "failure"));

    /// <summary>Makes the GPU agent and device gauges report from <paramref name="fleet"/> (they report zeros until called).</summary>
    public void ObserveGpuFleet(Func<GpuFleetSnapshot> fleet) => _admission.ObserveFleet(fleet);

    public void GpuAgentUpdateReceived() => _admission.GpuAgentUpdates.Add(1);

    /// <summary>One scrape of a pool's endpoint ended with <paramref name="result"/> (a fixed word, see the instrument).</summary>
    public void EngineScraped(string pool, string result, TimeSpan elapsed)
    {
        var poolTag = new KeyValuePair<string, object?>("pool", pool);
        _admission.EngineScrapes.Add(1, poolTag, new KeyValuePair<string, object?>("result", result));
        _admission.EngineScrapeDuration.Record(elapsed.TotalSeconds, poolTag);
    }

    /// <summary>The pool's endpoints now (none: the pool was removed, its series go to 0).</summary>
    public void EngineEndpoints(string pool, IReadOnlyCollection<EndpointLoad> endpoints)
    {
        var up = endpoints.Count(e => e.Up);
        var unknown = endpoints.Count(e => e.ScrapedAt is null);
        var poolTag = new KeyValuePair<string, object?>("pool", pool);
        _admission.EngineEndpoints.Record(up, poolTag, new KeyValuePair<string, object?>("state", "up"));
        _admission.EngineEndpoints.Record(endpoints.Count - up - unknown, poolTag, new KeyValuePair<string, object?>("state", "down"));
        _admission.EngineEndpoints.Record(unknown, poolTag, new KeyValuePair<string, object?>("state", "unknown"));
    }

    private static string SourceLabel(PrioritySource source) => source switch
    {
        PrioritySource.Header => "header",
        PrioritySource.Tenant => "tenant",
        PrioritySource.ApiKey => "api_key",
        _ => "default",
    };

    private static string BreakerStateLabel(BreakerState state) => state switch
    {
        Admission.Breaker.BreakerState.Open => "open",
        Admission.Breaker.BreakerState.HalfOpen => "half_open",
        _ => "closed",
    };

    private sealed class AdmissionInstruments
    {
        private Func<GpuFleetSnapshot>? _fleet;

        public AdmissionInstruments(Meter meter)
        {
            Decisions = meter.CreateCounter<long>("extproc.admissions", "{request}",
                "Admission decisions for requests to monitored pools, by the pool that decided, priority class, decision (admitted, overflowed, shed, unavailable) and reason.");
            Overflows = meter.CreateCounter<long>("extproc.admission.overflows", "{request}",
                "Requests admission moved from their pool to an overflow pool (or, critical, to a saturated one), by from and to pool.");
            TelemetryAge = meter.CreateGauge<double>("extproc.admission.telemetry_age", "s",
                "Age of the oldest telemetry (GPU update, scrape) admission used for the pool, as last seen.");
            Stale = meter.CreateGauge<int>("extproc.admission.stale", "1",
                "1 while the pool's telemetry is stale (it counts as saturated or healthy by its staleTelemetry), else 0.");
            PriorityRequests = meter.CreateCounter<long>("extproc.priority.requests", "{request}",
                "Requests classed, by priority class (critical, standard, sheddable) and source (header, tenant, api_key, default).");
            PriorityIgnored = meter.CreateCounter<long>("extproc.priority.ignored", "{request}",
                "Priority headers ignored, by reason: untrusted (the caller's identity matched no trusted caller) or invalid (not a class name).");
            BreakerState = meter.CreateGauge<int>("extproc.breaker.state", "{state}",
                "Each pool's circuit breaker: 0 closed, 1 half-open, 2 open.");
            BreakerTransitions = meter.CreateCounter<long>("extproc.breaker.transitions", "{transition}",
                "Pool circuit breaker state changes, by pool and the state entered (closed, half_open, open).");
            BreakerOutcomes = meter.CreateCounter<long>("extproc.breaker.outcomes", "{response}",
                "Outcomes recorded by the pool circuit breakers, by pool and outcome (success, failure).");
            EngineScrapes = meter.CreateCounter<long>("extproc.engine.scrapes", "{scrape}",
                "Scrapes of model-server metrics, by pool and result: success, timeout, unreachable, http_error (not 2xx) or invalid (not exposition text, or too large).");
            EngineScrapeDuration = meter.CreateHistogram("extproc.engine.scrape.duration", "s",
                "Seconds one scrape of a model server's metrics took, by pool (failures included).",
                advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
            EngineEndpoints = meter.CreateGauge<int>("extproc.engine.endpoints", "{endpoint}",
                "Model-server endpoints of each pool by state: up (latest scrape valid), down (it failed) or unknown (not scraped yet).");
            meter.CreateObservableGauge("extproc.gpu_agents", ObserveAgents, "{agent}",
                "GPU agents watched, by state: connected (its Watch stream delivers) or disconnected (never reached, or lost and reconnecting).");
            GpuAgentUpdates = meter.CreateCounter<long>("extproc.gpu_agent.updates", "{update}", "Watch updates received from GPU agents.");
            meter.CreateObservableGauge("extproc.gpu_devices", ObserveDevices, "{device}",
                "GPUs the agents last reported, by health: healthy, or unhealthy (lost, XID, NVML timeout or error, thermal or power slowdown).");
        }

        public Counter<long> Decisions { get; }

        public Counter<long> Overflows { get; }

        public Gauge<double> TelemetryAge { get; }

        public Gauge<int> Stale { get; }

        public Counter<long> PriorityRequests { get; }

        public Counter<long> PriorityIgnored { get; }

        public Gauge<int> BreakerState { get; }

        public Counter<long> BreakerTransitions { get; }

        public Counter<long> BreakerOutcomes { get; }

        public Counter<long> GpuAgentUpdates { get; }

        public Counter<long> EngineScrapes { get; }

        public Histogram<double> EngineScrapeDuration { get; }

        public Gauge<int> EngineEndpoints { get; }

        public void ObserveFleet(Func<GpuFleetSnapshot> fleet) => Volatile.Write(ref _fleet, fleet);

        private GpuFleetSnapshot Fleet => Volatile.Read(ref _fleet)?.Invoke() ?? GpuFleetSnapshot.Empty;

        private IEnumerable<Measurement<int>> ObserveAgents()
        {
            var fleet = Fleet;
            var connected = fleet.Agents.Values.Count(a => a.Connected);
            return [new(connected, new KeyValuePair<string, object?>("state", "connected")),
                new(fleet.Agents.Count - connected, new KeyValuePair<string, object?>("state", "disconnected"))];
        }

        private IEnumerable<Measurement<int>> ObserveDevices()
        {
            int healthy = 0, unhealthy = 0;
            foreach (var device in Fleet.Agents.Values.SelectMany(a => a.Node?.Devices ?? []))
            {
                _ = device.Healthy ? healthy++ : unhealthy++;
            }

            return [new(healthy, new KeyValuePair<string, object?>("health", "healthy")),
                new(unhealthy, new KeyValuePair<string, object?>("health", "unhealthy"))];
        }
    }
}
