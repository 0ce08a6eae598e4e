using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Routing;

/// <summary>Decides a request's pool from its model and prompt token count.</summary>
public interface ITokenRangeRouter
{
    /// <summary>The header names the decision is written to.</summary>
    RoutingHeaderNames Headers { get; }

    /// <summary>Whether <paramref name="model"/> is served (always true when no models are configured).</summary>
    bool IsServed(string? model);

    /// <summary>Picks the first range whose bound holds <paramref name="promptTokens"/>.</summary>
    RoutingDecision Decide(InferenceRequest request, int promptTokens);
}
