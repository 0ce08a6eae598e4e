using System.Buffers;
using AiSidecar.ExtProc.Memory;
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
    IOptions<MemoryOptions> memory,
    OpenStreams streams,
    ExtProcMetrics metrics,
    TimeProvider time,
    ILogger<ProcessingStream> logger,
    IHostApplicationLifetime? lifetime = null,
    ArrayPool<byte>? bodyPool = null)
{
    /// <summary>Where a body that arrives in chunks is collected (the shared pool; tests count rents and returns).</summary>
    public ArrayPool<byte> BodyPool { get; } = bodyPool ?? ArrayPool<byte>.Shared;

    public ExchangePipeline Pipeline => pipeline;

    /// <summary>The routing table in force; a request takes it once, when its headers arrive.</summary>
    public IRoutingTableSource Tables => tables;

    public ExchangeServices Exchanges => exchanges;

    public long MaxBodyBytes { get; } = options.Value.MaxBodyBytes;

    /// <summary>How long a stream may wait for its next message; zero: no limit.</summary>
    public TimeSpan StreamIdleTimeout { get; } = TimeSpan.FromSeconds(options.Value.StreamIdleTimeoutSeconds);

    /// <summary>The <c>retry-after</c> of a 503 when the server sheds work.</summary>
    public int RetryAfterSeconds { get; } = memory.Value.RetryAfterSeconds;

    public BodySendMode AssumedRequestMode { get; } = (BodySendMode)options.Value.AssumedRequestBodyMode;

    public BodySendMode AssumedResponseMode { get; } = (BodySendMode)options.Value.AssumedResponseBodyMode;

    public ExtProcMetrics Metrics => metrics;

    /// <summary>The open streams, which a graceful drain waits for.</summary>
    public OpenStreams Streams => streams;

    public TimeProvider Time => time;

    /// <summary>Signals shutdown, so that a stream cut by it is told from one Envoy reset.</summary>
    public CancellationToken Stopping { get; } = lifetime?.ApplicationStopping ?? CancellationToken.None;

    public ILogger Logger => logger;
}
