using AiSidecar.ExtProc.Routing;

namespace AiSidecar.ExtProc.Pipeline;

/// <summary>What the server keeps of a request's headers.</summary>
internal sealed class RequestHead
{
    /// <summary>No headers at all (a stream that began with the response, or a synthetic request).</summary>
    public static RequestHead None { get; } = new();

    public string? Method { get; init; }

    /// <summary>The <c>:path</c>, query included.</summary>
    public string? Path { get; init; }

    public long? ContentLength { get; init; }

    /// <summary>Server-owned headers the client sent, to be removed.</summary>
    public IReadOnlyList<string> OwnedCopies { get; init; } = [];

    /// <summary>The request headers the decision reads (model type, experiment, stickiness keys, priority).</summary>
    public CapturedHeaders Captured { get; init; } = CapturedHeaders.Empty;

    /// <summary>
    /// The SHA-256 (lower-case hex) of the bearer token in <c>authorization</c>, taken only when API keys are mapped
    /// to priority classes: the key itself is never kept.
    /// </summary>
    public string? ApiKeyHash { get; init; }

    /// <summary>
    /// The SHA-256 (lower-case hex) of the tenant header's value (<see cref="Routing.RoutingTable.TenantHeader"/>), taken
    /// once when the request headers arrive; coalescing's lanes and the budgets' keys read it. Null without the header.
    /// </summary>
    public string? TenantHash { get; init; }

    /// <summary>The client's W3C <c>traceparent</c>, read only while the server traces; the exchange span's parent when valid.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The client's W3C <c>tracestate</c>, read with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; init; }
}
