using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;

namespace AiSidecar.ExtProc.Coalescing;

/// <summary>
/// The circuit breaker of each upstream (by scheme, host and port): added to the upstream's resilience pipeline, which
/// trips it, and read by the batcher, which passes requests through while it is open. The batcher's view is the break
/// itself (from the moment it opened, for its break duration), not Polly's state: Polly leaves a breaker open until a
/// call is tried after the break, so a batcher that sent nothing while "open" would never let that probe happen.
/// </summary>
internal sealed class UpstreamBreakers(TimeProvider time, ExtProcMetrics metrics)
{
    /// <summary>Per upstream, the timestamp its current break ends at (0 when closed).</summary>
    private readonly ConcurrentDictionary<string, StrongBox<long>> _breaks = new(StringComparer.Ordinal);

    /// <summary>The key of <paramref name="url"/>'s upstream: <c>scheme://host:port</c>.</summary>
    public static string KeyOf(Uri url) => url.GetLeftPart(UriPartial.Authority);

    /// <summary>True while the breaker of <paramref name="key"/> is in its break; after it, calls go again (the first is the probe).</summary>
    public bool IsOpen(string key) =>
        _breaks.TryGetValue(key, out var until) && time.GetTimestamp() < Volatile.Read(ref until.Value);

    /// <summary>
    /// Adds the breaker of <paramref name="key"/>'s upstream to its pipeline. A pipeline built twice for one upstream
    /// (the registry may race) is harmless: only the one kept is ever called, and both report to the same break.
    /// </summary>
    public void AddTo(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, string key, CoalesceBreakerOptions options)
    {
        var until = _breaks.GetOrAdd(key, static _ => new StrongBox<long>());
        metrics.CoalesceBreakerState(key, CircuitState.Closed);
        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = TimeSpan.FromSeconds(options.SamplingSeconds),
            BreakDuration = TimeSpan.FromSeconds(options.BreakSeconds),
            OnOpened = args =>
            {
                var ends = time.GetTimestamp() + (long)(args.BreakDuration.TotalSeconds * time.TimestampFrequency);
                Volatile.Write(ref until.Value, ends);
                return Moved(key, CircuitState.Open);
            },
            OnHalfOpened = _ => Moved(key, CircuitState.HalfOpen),
            OnClosed = _ =>
            {
                Volatile.Write(ref until.Value, 0);
                return Moved(key, CircuitState.Closed);
            },
        });
    }

    private ValueTask Moved(string key, CircuitState state)
    {
        metrics.CoalesceBreakerState(key, state);
        return ValueTask.CompletedTask;
    }
}
