using System.Collections.Concurrent;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;

namespace AiSidecar.ExtProc.Coalescing;

/// <summary>
/// The circuit breaker state of each upstream (by scheme, host and port), shared between the resilience handler
/// that trips it and the stage that passes requests through while it is open.
/// </summary>
internal sealed class UpstreamBreakers(ExtProcMetrics metrics)
{
    private readonly ConcurrentDictionary<string, CircuitBreakerStateProvider> _states = new(StringComparer.Ordinal);

    /// <summary>The key of <paramref name="url"/>'s upstream: <c>scheme://host:port</c>.</summary>
    public static string KeyOf(Uri url) => url.GetLeftPart(UriPartial.Authority);

    /// <summary>True while the breaker of <paramref name="key"/> is open (or isolated).</summary>
    public bool IsOpen(string key) =>
        _states.TryGetValue(key, out var state) && state.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>Adds the breaker of <paramref name="key"/>'s upstream to its pipeline.</summary>
    public void AddTo(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, string key, CoalesceBreakerOptions options)
    {
        var state = _states.GetOrAdd(key, static _ => new CircuitBreakerStateProvider());
        metrics.CoalesceBreakerState(key, CircuitState.Closed);
        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = TimeSpan.FromSeconds(options.SamplingSeconds),
            BreakDuration = TimeSpan.FromSeconds(options.BreakSeconds),
            StateProvider = state,
            OnOpened = _ => Moved(key, CircuitState.Open),
            OnHalfOpened = _ => Moved(key, CircuitState.HalfOpen),
            OnClosed = _ => Moved(key, CircuitState.Closed),
        });
    }

    private ValueTask Moved(string key, CircuitState state)
    {
        metrics.CoalesceBreakerState(key, state);
        return ValueTask.CompletedTask;
    }
}
