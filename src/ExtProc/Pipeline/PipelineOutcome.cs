using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Routing;

namespace AiSidecar.ExtProc.Pipeline;

/// <summary>The result of one request's trip through the pipeline: a decision, or an error to answer with.</summary>
public sealed class PipelineOutcome
{
    private PipelineOutcome(RoutingDecision? decision, ApiError? error, ReadOnlyMemory<byte>? replacementBody)
    {
        Decision = decision;
        Error = error;
        ReplacementBody = replacementBody;
    }

    /// <summary>Where the request goes; null when <see cref="Error"/> is set.</summary>
    public RoutingDecision? Decision { get; }

    /// <summary>The error answered instead of forwarding; null on success.</summary>
    public ApiError? Error { get; }

    /// <summary>A new request body to forward instead of the client's, when the pipeline rewrote it.</summary>
    public ReadOnlyMemory<byte>? ReplacementBody { get; }

    /// <summary>A successful decision, optionally with a rewritten body.</summary>
    public static PipelineOutcome Route(RoutingDecision decision, ReadOnlyMemory<byte>? replacementBody = null) =>
        new(decision, null, replacementBody);

    /// <summary>An error answer.</summary>
    public static PipelineOutcome Reject(ApiError error) => new(null, error, null);
}
