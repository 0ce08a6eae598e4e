using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Options;
using BodySendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>What every stream shares, resolved once.</summary>
internal sealed class ProcessingServices(
    ExchangePipeline pipeline,
    IRoutingTableSource tables,
    ExchangeServices exchanges,
    IOptions<ProcessingOptions> options,
    ExtProcMetrics metrics,
    TimeProvider time,
    ILogger<ProcessingStream> logger,
    IHostApplicationLifetime? lifetime = null)
{
    public ExchangePipeline Pipeline => pipeline;

    /// <summary>The routing table in force; a request takes it once, when its headers arrive.</summary>
    public IRoutingTableSource Tables => tables;

    public ExchangeServices Exchanges => exchanges;

    public long MaxBodyBytes { get; } = options.Value.MaxBodyBytes;

    public BodySendMode AssumedRequestMode { get; } = (BodySendMode)options.Value.AssumedRequestBodyMode;

    public BodySendMode AssumedResponseMode { get; } = (BodySendMode)options.Value.AssumedResponseBodyMode;

    public ExtProcMetrics Metrics => metrics;

    public TimeProvider Time => time;

    /// <summary>Signals shutdown, so that a stream cut by it is told from one Envoy reset.</summary>
    public CancellationToken Stopping { get; } = lifetime?.ApplicationStopping ?? CancellationToken.None;

    public ILogger Logger => logger;
}
