using System.Collections.Concurrent;
using AiSidecar.ExtProc.Telemetry;

namespace AiSidecar.ExtProc.Admission;

/// <summary>
/// Which monitored pools have stale telemetry: one log line and a gauge change per transition (stale → fresh or
/// back), never one per request; and the age of each pool's telemetry as last seen.
/// </summary>
internal sealed class PoolStaleness(ExtProcMetrics metrics, ILogger<PoolStaleness> logger)
{
    private readonly ConcurrentDictionary<string, bool> _stale = new(StringComparer.Ordinal);

    public void Observe(string pool, PoolVerdict verdict)
    {
        var stale = verdict.Reason == "stale_telemetry";
        if (verdict.TelemetryAge is { } age)
        {
            metrics.AdmissionTelemetryAge(pool, age);
        }

        var known = _stale.TryGetValue(pool, out var was);
        if (known && was == stale)
        {
            return;
        }

        // Only the thread that changes the entry reports the transition.
        if (known ? _stale.TryUpdate(pool, stale, was) : _stale.TryAdd(pool, stale))
        {
            metrics.AdmissionStale(pool, stale);
            if (stale)
            {
                AdmissionLog.TelemetryStale(logger, pool, verdict.Fit.ToString());
            }
            else if (known)
            {
                AdmissionLog.TelemetryFresh(logger, pool);
            }
        }
    }
}
