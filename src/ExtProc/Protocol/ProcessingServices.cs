using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Routing.Reload;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Options;
using BodySendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>What every stream shares, resolved once.</summary>
internal sealed class ProcessingServices(
    IInferencePipeline pipeline,
    IRoutingTableSource tables,
    IOptions<ProcessingOptions> options,
    ExtProcMetrics metrics,
    TrafficMetrics traffic,
    TimeProvider time,
    ILogger<ProcessingStream> logger)
{
    public IInferencePipeline Pipeline { get; } = pipeline;

    /// <summary>The routing table in force; a request takes it once, when its headers arrive.</summary>
    public IRoutingTableSource Tables { get; } = tables;

    /// <summary>The header names of the current routing table.</summary>
    public RoutingHeaderNames HeaderNames => Tables.Current.Headers;

    public long MaxBodyBytes { get; } = options.Value.MaxBodyBytes;

    public BodySendMode AssumedRequestMode { get; } = ProcessingOptions.ParseMode(options.Value.AssumedRequestBodyMode);

    public BodySendMode AssumedResponseMode { get; } = ProcessingOptions.ParseMode(options.Value.AssumedResponseBodyMode);

    public ExtProcMetrics Metrics { get; } = metrics;

    public TrafficMetrics Traffic { get; } = traffic;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;
}
