using System.Text.RegularExpressions;
using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Admission.Priority;

/// <summary>
/// <c>admission.priority</c>, compiled: finds a request's class from its captured headers. The priority header
/// counts only when the caller's identity (a <c>URI</c> of the last element of the identity header) matches a
/// trusted caller; otherwise it is ignored (and said so). Then the tenant header's value, then the API key's hash,
/// then the default. Read at start; every routing table carries the same resolver, so the headers a table captures
/// are always the ones its resolver reads.
/// </summary>
internal sealed class PriorityResolver
{
    private readonly string _header;
    private readonly string _identityHeader;
    private readonly Regex[] _trusted;
    private readonly string? _tenantHeader;
    private readonly Dictionary<string, RequestPriority> _tenants;
    private readonly Dictionary<string, RequestPriority> _apiKeys;
    private readonly RequestPriority _default;

    public PriorityResolver(PriorityOptions options)
    {
        _header = options.Header;
        _identityHeader = options.IdentityHeader;
        _trusted = [.. options.TrustedCallers.Select(ModelNames.Glob)];
        _tenants = new(options.Tenants, StringComparer.Ordinal);
        _tenantHeader = options.TenantHeader.Length > 0 && _tenants.Count > 0 ? options.TenantHeader : null;
        _apiKeys = new(options.ApiKeys, StringComparer.Ordinal);
        _default = options.Default;
        CapturedHeaders = [.. new[] { _header, _trusted.Length > 0 ? _identityHeader : null, _tenantHeader }.OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The built-in settings: every request is standard (a priority header is only counted as ignored).</summary>
    public static PriorityResolver Defaults { get; } = new(new PriorityOptions());

    /// <summary>The request headers to capture when the request headers arrive (the priority, identity and tenant headers in use).</summary>
    public IReadOnlyList<string> CapturedHeaders { get; }

    /// <summary>True when API keys are looked up: the request's bearer token is hashed when its headers arrive (<see cref="RequestHead.ApiKeyHash"/>).</summary>
    public bool HashesApiKeys => _apiKeys.Count > 0;

    /// <summary>The class of the request with <paramref name="head"/>.</summary>
    public PriorityResolution Resolve(RequestHead head)
    {
        var ignored = IgnoredPriority.None;
        if (head.Captured.Get(_header) is { } asked)
        {
            if (!IsTrusted(head.Captured.Get(_identityHeader)))
            {
                ignored = IgnoredPriority.Untrusted;
            }
            else if (PriorityLabels.TryParse(asked, out var priority))
            {
                return new(priority, PrioritySource.Header);
            }
            else
            {
                ignored = IgnoredPriority.Invalid;
            }
        }

        if (_tenantHeader is not null && head.Captured.Get(_tenantHeader) is { } tenant && _tenants.TryGetValue(tenant, out var tenantPriority))
        {
            return new(tenantPriority, PrioritySource.Tenant, ignored);
        }

        if (head.ApiKeyHash is { } hash && _apiKeys.TryGetValue(hash, out var keyPriority))
        {
            return new(keyPriority, PrioritySource.ApiKey, ignored);
        }

        return new(_default, PrioritySource.Default, ignored);
    }

    private bool IsTrusted(string? identity)
    {
        if (_trusted.Length == 0 || identity is null)
        {
            return false;
        }

        var uris = new List<string>(1);
        if (!ClientCertHeader.TryReadCallerUris(identity, uris))
        {
            return false;
        }

        foreach (var uri in uris)
        {
            foreach (var glob in _trusted)
            {
                if (glob.IsMatch(uri))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
