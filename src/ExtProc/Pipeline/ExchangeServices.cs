using AiSidecar.ExtProc.Telemetry;

namespace AiSidecar.ExtProc.Pipeline;

/// <summary>What every exchange shares: the clock, the metrics its leases are counted in, the log for release failures.</summary>
internal sealed class ExchangeServices(TimeProvider time, ExtProcMetrics metrics, ILogger<Exchange> logger)
{
    public TimeProvider Time => time;

    public ExtProcMetrics Metrics => metrics;

    public ILogger Logger => logger;
}
