using Envoy.Extensions.Filters.Http.ExtProc.V3;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>The subset of Envoy's ext_proc filter configuration (XP) that changes what the server sees.</summary>
public sealed partial record EnvoyFilterConfig
{
    public HeaderSendMode RequestHeaderMode { get; init; } = HeaderSendMode.Send;

    public HeaderSendMode ResponseHeaderMode { get; init; } = HeaderSendMode.Send;

    public BodySendMode RequestBodyMode { get; init; } = BodySendMode.None;

    public BodySendMode ResponseBodyMode { get; init; } = BodySendMode.None;

    /// <summary>Trailers are sent only when SEND (DEFAULT means SKIP for trailers).</summary>
    public HeaderSendMode RequestTrailerMode { get; init; } = HeaderSendMode.Skip;

    public HeaderSendMode ResponseTrailerMode { get; init; } = HeaderSendMode.Skip;

    public bool ObservabilityMode { get; init; }

    /// <summary>Envoy 1.34+ puts <c>protocol_config</c> on the first message of the stream.</summary>
    public bool SendProtocolConfig { get; init; } = true;

    public bool SendBodyWithoutWaitingForHeaderResponse { get; init; }

    /// <summary>CEL expressions sent on the first request-direction message (see <see cref="AttributeEvaluator"/>).</summary>
    public IReadOnlyList<string> RequestAttributes { get; init; } = [];

    public IReadOnlyList<string> ResponseAttributes { get; init; } = [];

    /// <summary>The listener's per_connection_buffer_limit_bytes (1 MiB by default).</summary>
    public int BufferLimitBytes { get; init; } = 1024 * 1024;

    public TimeSpan MessageTimeout { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary><c>max_message_timeout</c>; zero disables <c>override_message_timeout</c>.</summary>
    public TimeSpan MaxMessageTimeout { get; init; }

    public bool FailureModeAllow { get; init; }

    public bool AllowModeOverride { get; init; }

    public bool DisableImmediateResponse { get; init; }

    /// <summary><c>mutation_rules.allow_all_routing</c>: allow host, :authority, :method and :scheme changes.</summary>
    public bool AllowAllRouting { get; init; }

    /// <summary><c>mutation_rules.allow_envoy</c>: allow x-envoy-* changes.</summary>
    public bool AllowEnvoyHeaders { get; init; }

    public IReadOnlyList<string> ReceivingNamespaces { get; init; } = [];

    /// <summary><c>forward_rules.disallowed_headers</c> (exact names): these are not sent to the server, though they go upstream.</summary>
    public IReadOnlyList<string> DisallowedHeaders { get; init; } = [];

    public BodyArrival BodyArrival { get; init; } = BodyArrival.AfterHeadersResponse;

    /// <summary>Add what Envoy's HCM and router add before the filter sees the headers (x-request-id, x-forwarded-proto, x-envoy-upstream-service-time).</summary>
    public bool AddEnvoyHeaders { get; init; } = true;

    /// <summary>Half-close and wait for the server to end the call, instead of Envoy's half-close then reset.</summary>
    public bool GracefulClose { get; init; }

    /// <summary>Not Envoy: the longest this client waits where Envoy has no timer, so a broken server fails a test instead of hanging it.</summary>
    public TimeSpan SafetyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an observability-mode stream stays open after the exchange (deferred_close_timeout, 5 s in Envoy).</summary>
    public TimeSpan DeferredCloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public string SourceAddress { get; init; } = "10.1.2.3:45678";

    public string RouteName { get; init; } = "inference-route";

    internal ProcessingMode ToProcessingMode() => new()
    {
        RequestHeaderMode = RequestHeaderMode,
        ResponseHeaderMode = ResponseHeaderMode,
        RequestBodyMode = RequestBodyMode,
        ResponseBodyMode = ResponseBodyMode,
        RequestTrailerMode = RequestTrailerMode,
        ResponseTrailerMode = ResponseTrailerMode,
    };
}
