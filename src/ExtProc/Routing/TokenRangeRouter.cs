using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Routing;

/// <summary>Token-range routing: ranges are checked in order, the last one takes every larger prompt.</summary>
internal sealed class TokenRangeRouter
{
    private readonly TokenRangeOptions[] _ranges;
    private readonly HashSet<string> _models;

    public TokenRangeRouter(RoutingOptions value)
    {
        _ranges = [.. value.Ranges];
        _models = new HashSet<string>(value.Models, StringComparer.Ordinal);
    }

    /// <summary>Whether <paramref name="model"/> is served (always true when no models are configured).</summary>
    public bool IsServed(string? model) => _models.Count == 0 || (model is not null && _models.Contains(model));

    public RoutingDecision Decide(InferenceRequest request, int promptTokens)
    {
        var range = Pick(promptTokens);
        return new RoutingDecision(request.Model, promptTokens, range.Name, range.Pool, request.NonTextParts);
    }

    /// <summary>The first range whose bound holds <paramref name="promptTokens"/>; the last takes every larger prompt.</summary>
    public TokenRangeOptions Pick(int promptTokens)
    {
        foreach (var candidate in _ranges)
        {
            if (candidate.MaxTokens is not { } max || promptTokens <= max)
            {
                return candidate;
            }
        }

        return _ranges[^1];
    }
}
