using AiSidecar.Configuration;
using AiSidecar.ExtProc.Routing;

namespace AiSidecar.ExtProc.Admission.Priority;

/// <summary>Checks what binding cannot in <c>admission.priority</c>: header names, trusted-caller globs, the tenant map, API-key hashes.</summary>
internal static class PriorityOptionsValidator
{
    private const string Root = "admission.priority";

    /// <param name="options">The bound section.</param>
    /// <param name="owned">The headers the server owns (<c>routing.headers</c>): clients' copies are removed, so none can be read.</param>
    /// <param name="issues">Where problems go.</param>
    public static void Validate(PriorityOptions options, IReadOnlySet<string> owned, ICollection<ConfigIssue> issues)
    {
        RoutingOptionsValidator.InputHeader($"{Root}.header", options.Header, owned, issues);
        RoutingOptionsValidator.InputHeader($"{Root}.identityHeader", options.IdentityHeader, owned, issues);
        if (options.IdentityHeader == options.Header)
        {
            issues.Add(new($"{Root}.identityHeader", $"'{options.IdentityHeader}' is the priority header too; the caller's identity needs its own header."));
        }

        for (var i = 0; i < options.TrustedCallers.Count; i++)
        {
            var glob = options.TrustedCallers[i];
            if (glob.Length == 0 || !HeaderSyntax.IsValidValue(glob) || glob.Any(c => c is ' ' or '\t' or ',' or ';' or '"' or '='))
            {
                issues.Add(new($"{Root}.trustedCallers[{i}]", $"'{glob}' must be a non-empty identity (a SPIFFE ID such as spiffe://cluster.local/ns/app/sa/api; * matches any characters) without spaces, quotes, ',', ';' or '='."));
            }
        }

        if (options.TenantHeader.Length > 0)
        {
            RoutingOptionsValidator.InputHeader($"{Root}.tenantHeader", options.TenantHeader, owned, issues);
            if (options.TenantHeader == options.Header || options.TenantHeader == options.IdentityHeader)
            {
                issues.Add(new($"{Root}.tenantHeader", $"'{options.TenantHeader}' is the priority or identity header too; the tenant needs its own header."));
            }

            if (options.Tenants.Count == 0)
            {
                issues.Add(new($"{Root}.tenants", "is empty, so tenantHeader would never class a request: list tenant → class, or leave tenantHeader empty."));
            }
        }
        else if (options.Tenants.Count > 0)
        {
            issues.Add(new($"{Root}.tenantHeader", "must name the header that carries the tenant, or the tenants map is never read."));
        }

        foreach (var tenant in options.Tenants.Keys)
        {
            if (tenant.Length == 0 || !HeaderSyntax.IsValidValue(tenant))
            {
                issues.Add(new($"{Root}.tenants", $"'{tenant}' is not a header value a request can carry (empty, or control characters)."));
            }
        }

        var position = 0;
        foreach (var hash in options.ApiKeys.Keys)
        {
            position++;
            if (!ApiKeyHash.IsWellFormed(hash))
            {
                // The entry is not repeated: it may be a key pasted where its hash belongs.
                issues.Add(new($"{Root}.apiKeys", $"entry {position} must be the SHA-256 of the API key as 64 lower-case hex digits (printf '%s' \"$KEY\" | sha256sum), never the key itself."));
            }
        }
    }
}
