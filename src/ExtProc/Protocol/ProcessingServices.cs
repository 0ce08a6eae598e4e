using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Options;
using BodySendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>What every stream shares, resolved once.</summary>
internal sealed class ProcessingServices(
    IInferencePipeline pipeline,
    ITokenRangeRouter router,
    IOptions<ProcessingOptions> options,
    ExtProcMetrics metrics,
    TimeProvider time,
    ILogger<ProcessingStream> logger)
{
    public IInferencePipeline Pipeline { get; } = pipeline;

    public RoutingHeaderNames HeaderNames { get; } = router.Headers;

    public long MaxBodyBytes { get; } = options.Value.MaxBodyBytes;

    public BodySendMode AssumedRequestMode { get; } = ProcessingOptions.ParseMode(options.Value.AssumedRequestBodyMode);

    public BodySendMode AssumedResponseMode { get; } = ProcessingOptions.ParseMode(options.Value.AssumedResponseBodyMode);

    public ExtProcMetrics Metrics { get; } = metrics;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;
}
