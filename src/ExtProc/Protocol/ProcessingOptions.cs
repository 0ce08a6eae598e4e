using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>Options of the <c>processing</c> section: how Envoy's filter is configured, as far as the server must know it.</summary>
internal sealed class ProcessingOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "processing";

    /// <summary>
    /// The request body mode Envoy is configured with, used when Envoy does not say (it sends
    /// <c>protocol_config</c> from 1.34 on). Default <c>BUFFERED</c>, the mode routing on the body needs.
    /// </summary>
    public BodyMode AssumedRequestBodyMode { get; set; } = BodyMode.Buffered;

    /// <summary>The response body mode Envoy is configured with, when Envoy does not say. Default <c>NONE</c>.</summary>
    public BodyMode AssumedResponseBodyMode { get; set; } = BodyMode.None;

    /// <summary>Largest request body inspected; larger ones get 413. Default 8 MiB.</summary>
    [Range(1, 1L << 30)]
    public long MaxBodyBytes { get; set; } = 8L << 20;

    /// <summary>
    /// The filter's <c>message_timeout</c> in milliseconds (Envoy's default 200). A stage that holds a message answers
    /// it within 90 % of this, so the server, not Envoy's timer, decides what the client gets. Default 200.
    /// </summary>
    [Range(10, 3_600_000)]
    public int MessageTimeoutMs { get; set; } = 200;

    /// <summary>
    /// Seconds a stream may wait for its next message before the server cancels it (gRPC DEADLINE_EXCEEDED); 0 (the
    /// default) waits as long as the peer keeps the stream open. Behind Envoy its own timers end stuck streams
    /// (<c>message_timeout</c> while the server holds a message, the route and stream idle timeouts otherwise); set
    /// this for clients without them, above the longest time an upstream takes to start its response.
    /// </summary>
    [Range(0, 86400)]
    public int StreamIdleTimeoutSeconds { get; set; }

    /// <summary>How long a stage may hold one message: 90 % of <see cref="MessageTimeoutMs"/>.</summary>
    internal TimeSpan HoldBudget => TimeSpan.FromMilliseconds(MessageTimeoutMs * 0.9);
}
