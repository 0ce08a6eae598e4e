using AiSidecar.ExtProc.Inspection;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Routing;

/// <summary>Token-range routing: ranges are checked in order, the last one takes every larger prompt.</summary>
internal sealed class TokenRangeRouter : ITokenRangeRouter
{
    private readonly TokenRangeOptions[] _ranges;
    private readonly HashSet<string> _models;

    public TokenRangeRouter(IOptions<RoutingOptions> options)
    {
        var value = options.Value;
        Headers = value.Headers;
        _ranges = [.. value.Ranges];
        _models = new HashSet<string>(value.Models, StringComparer.Ordinal);
    }

    public RoutingHeaderNames Headers { get; }

    public bool IsServed(string? model) => _models.Count == 0 || (model is not null && _models.Contains(model));

    public RoutingDecision Decide(InferenceRequest request, int promptTokens)
    {
        var range = _ranges[^1];
        foreach (var candidate in _ranges)
        {
            if (candidate.MaxTokens is not { } max || promptTokens <= max)
            {
                range = candidate;
                break;
            }
        }

        return new RoutingDecision(request.Model, promptTokens, range.Name, range.Pool, request.NonTextParts);
    }
}
