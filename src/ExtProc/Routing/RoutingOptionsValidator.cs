using AiSidecar.ExtProc.Routing.Registry;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Routing;

/// <summary>Checks the routing section at start and on every reload: ranges, header names, the model registry.</summary>
/// <param name="configuration">The raw configuration, to report registry keys the binder would silently drop; optional.</param>
internal sealed class RoutingOptionsValidator(IConfiguration? configuration = null) : IValidateOptions<RoutingOptions>
{
    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        var errors = new List<string>();
        if (configuration?.GetSection("routing:registry") is { } raw && raw.Exists())
        {
            RegistryShape.Check(raw, typeof(ModelRegistryOptions), "routing.registry", errors);
        }

        ValidateRanges(options.Ranges, errors);
        ValidateHeaders(options.Headers, errors);
        RegistryValidator.Validate(options, errors);
        if (options.ReloadCheckSeconds < 0)
        {
            errors.Add("routing.reloadCheckSeconds: must be 0 (off) or more.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateRanges(List<TokenRangeOptions> ranges, List<string> errors)
    {
        var previous = -1;
        for (var i = 0; i < ranges.Count; i++)
        {
            var range = ranges[i];
            var at = $"routing.ranges[{i}]";
            if (!HeaderSyntax.IsValidValue(range.Name) || range.Name.Length == 0)
            {
                errors.Add($"{at}.name must be a non-empty header-safe string.");
            }

            if (!HeaderSyntax.IsValidValue(range.Pool) || range.Pool.Length == 0)
            {
                errors.Add($"{at}.pool must be a non-empty header-safe string.");
            }

            var last = i == ranges.Count - 1;
            if (range.MaxTokens is { } max)
            {
                if (last)
                {
                    errors.Add($"{at}.maxTokens must be unset: the last range takes every larger prompt.");
                }
                else if (max <= previous)
                {
                    errors.Add($"{at}.maxTokens ({max}) must be greater than the previous range's ({previous}).");
                }

                previous = max;
            }
            else if (!last)
            {
                errors.Add($"{at}.maxTokens is required on every range but the last.");
            }
        }

        if (ranges.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count() != ranges.Count)
        {
            errors.Add("routing.ranges names must be unique.");
        }
    }

    private static void ValidateHeaders(RoutingHeaderNames headers, List<string> errors)
    {
        foreach (var header in headers.All)
        {
            if (!HeaderSyntax.IsOwnableName(header))
            {
                errors.Add($"routing.headers: '{header}' must be a lower-case header name, not a pseudo-header, host or x-envoy-*.");
            }
        }

        if (headers.All.Distinct(StringComparer.Ordinal).Count() != headers.All.Count)
        {
            errors.Add("routing.headers names must be distinct.");
        }
    }
}
