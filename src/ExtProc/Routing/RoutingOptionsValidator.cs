using AiSidecar.Configuration;

namespace AiSidecar.ExtProc.Routing;

/// <summary>Checks what binding cannot in the <c>routing</c> section: header names and stickiness keys.</summary>
internal static class RoutingOptionsValidator
{
    private const string Root = RoutingOptions.SectionName;

    public static void Validate(RoutingOptions routing, ICollection<ConfigIssue> issues)
    {
        var owned = routing.Headers.All;
        foreach (var (key, name) in routing.Headers.Named)
        {
            if (!HeaderSyntax.IsOwnableName(name))
            {
                issues.Add(new($"{Root}.headers.{key}", $"'{name}' must be a lower-case header name, not a pseudo-header, host or x-envoy-*."));
            }
            else if (owned.Count(n => n == name) > 1)
            {
                issues.Add(new($"{Root}.headers.{key}", $"'{name}' names another owned header too; each needs its own name."));
            }
        }

        var ownedSet = new HashSet<string>(owned, StringComparer.Ordinal);
        InputHeader($"{Root}.modelTypeHeader", routing.ModelTypeHeader, ownedSet, issues);
        InputHeader($"{Root}.experimentHeader", routing.ExperimentHeader, ownedSet, issues);
        var keys = routing.Stickiness.Keys;
        for (var i = 0; i < keys.Count; i++)
        {
            var at = $"{Root}.stickiness.keys[{i}]";
            if ((keys[i].Header is null) == (keys[i].Field is null))
            {
                issues.Add(new(at, "set exactly one of header and field."));
            }
            else if (keys[i].Header is { } header)
            {
                InputHeader($"{at}.header", header, ownedSet, issues);
            }
        }
    }

    /// <summary>A header the server reads from requests: a valid name that is not one the server owns (and strips).</summary>
    internal static void InputHeader(string at, string name, IReadOnlySet<string> owned, ICollection<ConfigIssue> issues)
    {
        if (!HeaderSyntax.IsOwnableName(name))
        {
            issues.Add(new(at, $"'{name}' must be a lower-case header name, not a pseudo-header, host or x-envoy-*."));
        }
        else if (owned.Contains(name))
        {
            issues.Add(new(at, $"'{name}' is a header the server owns (routing.headers); clients' copies are removed."));
        }
    }
}
