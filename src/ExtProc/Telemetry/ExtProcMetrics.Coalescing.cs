using System.Diagnostics.Metrics;
using AiSidecar.ExtProc.Coalescing;
using Polly.CircuitBreaker;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>Coalescing's instruments (docs/coalescing.md, "Metrics").</summary>
internal sealed partial class ExtProcMetrics
{
    /// <summary>What became of a request offered for coalescing: answered, failed, or passthrough with the reason.</summary>
    public void CoalesceRequest(string pool, CoalesceOutcome outcome, string? reason) =>
        _coalescing.Requests.Add(1, new KeyValuePair<string, object?>("pool", pool), new("outcome", OutcomeLabel(outcome)), new("reason", reason ?? ""));

    /// <summary>The <c>outcome</c> label (and span attribute) of a coalescing outcome.</summary>
    public static string OutcomeLabel(CoalesceOutcome outcome) => outcome switch
    {
        CoalesceOutcome.Answered => "answered",
        CoalesceOutcome.Failed => "failed",
        _ => "passthrough",
    };

    /// <summary>A batch of <paramref name="requests"/> requests and <paramref name="inputs"/> inputs went to the pool's upstream.</summary>
    public void CoalesceBatchSent(string pool, int requests, int inputs)
    {
        var poolTag = new KeyValuePair<string, object?>("pool", pool);
        _coalescing.BatchRequests.Record(requests, poolTag);
        _coalescing.BatchInputs.Record(inputs, poolTag);
    }

    /// <summary>How a batch call ended: ok, http_error, timeout, unreachable, breaker_open, invalid_answer or internal.</summary>
    public void CoalesceBatchEnded(string pool, string result) =>
        _coalescing.Batches.Add(1, new KeyValuePair<string, object?>("pool", pool), new("result", result));

    /// <summary>A member waited <paramref name="waited"/> for its batch to go.</summary>
    public void CoalesceWaited(string pool, TimeSpan waited) =>
        _coalescing.Wait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("pool", pool));

    /// <summary>A batch call took <paramref name="elapsed"/>.</summary>
    public void CoalesceUpstreamCalled(string pool, TimeSpan elapsed) =>
        _coalescing.UpstreamDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("pool", pool));

    /// <summary>Requests (and their body bytes) began or stopped being held.</summary>
    public void CoalesceHeld(int requests, long bytes)
    {
        _coalescing.HeldRequests.Add(requests);
        _coalescing.HeldBytes.Add(bytes);
    }

    /// <summary>The state of an upstream's circuit breaker: 0 closed, 1 half-open, 2 open (or isolated).</summary>
    public void CoalesceBreakerState(string upstream, CircuitState state) =>
        _coalescing.BreakerState.Record(state switch
        {
            CircuitState.Closed => 0,
            CircuitState.HalfOpen => 1,
            _ => 2,
        }, new KeyValuePair<string, object?>("upstream", upstream));

    private sealed class CoalescingInstruments(Meter meter)
    {
        private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];

        public Counter<long> Requests { get; } = meter.CreateCounter<long>("extproc.coalesce.requests", "{request}",
            "Requests offered for coalescing, by pool, outcome (answered from a batch, failed with the batch, passthrough) and reason (why passed through or failed).");

        public Counter<long> Batches { get; } = meter.CreateCounter<long>("extproc.coalesce.batches", "{batch}",
            "Batch calls to pool upstreams, by result: ok, http_error, timeout, unreachable, breaker_open, invalid_answer or internal.");

        public Histogram<int> BatchRequests { get; } = meter.CreateHistogram("extproc.coalesce.batch.requests", "{request}",
            "Requests per batch sent.", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

        public Histogram<int> BatchInputs { get; } = meter.CreateHistogram("extproc.coalesce.batch.inputs", "{input}",
            "Inputs (texts, documents, prompts) per batch sent.", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

        public Histogram<double> Wait { get; } = meter.CreateHistogram("extproc.coalesce.wait", "s",
            "Seconds a member waited for its batch to go.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

        public Histogram<double> UpstreamDuration { get; } = meter.CreateHistogram("extproc.coalesce.upstream.duration", "s",
            "Seconds one batch call to a pool's upstream took (failures included).", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

        public UpDownCounter<long> HeldRequests { get; } = meter.CreateUpDownCounter<long>("extproc.coalesce.held", "{request}",
            "Requests held for coalescing now (waiting for their batch or in its call); at most coalescing.maxHeldRequests.");

        public UpDownCounter<long> HeldBytes { get; } = meter.CreateUpDownCounter<long>("extproc.coalesce.held_body", "By",
            "Body bytes of the requests held for coalescing now; at most coalescing.maxHeldBytes.");

        public Gauge<int> BreakerState { get; } = meter.CreateGauge<int>("extproc.coalesce.breaker.state", "{state}",
            "Each upstream's circuit breaker: 0 closed, 1 half-open, 2 open (requests pass through uncoalesced).");
    }
}
