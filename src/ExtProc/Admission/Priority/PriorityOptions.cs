namespace AiSidecar.ExtProc.Admission.Priority;

/// <summary>
/// How a request's priority class is found (<c>admission.priority</c>): the priority header, only from callers the
/// config trusts; else the tenant map (a tenant header's value, or the API key's SHA-256); else <see cref="Default"/>.
/// </summary>
internal sealed class PriorityOptions
{
    /// <summary>The request header trusted callers set: <c>critical</c>, <c>standard</c> or <c>sheddable</c>. Default <c>x-priority</c>.</summary>
    public string Header { get; set; } = "x-priority";

    /// <summary>The header that carries the caller's identity, as the mesh sets it. Default <c>x-forwarded-client-cert</c>.</summary>
    public string IdentityHeader { get; set; } = "x-forwarded-client-cert";

    /// <summary>Identities (SPIFFE IDs; <c>*</c> globs) whose <see cref="Header"/> is honoured. Default none: the header is ignored.</summary>
    public List<string> TrustedCallers { get; set; } = [];

    /// <summary>A header naming the tenant, looked up in <see cref="Tenants"/>. Default none.</summary>
    public string TenantHeader { get; set; } = "";

    /// <summary>Tenant header value → class. Default none.</summary>
    public Dictionary<string, RequestPriority> Tenants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Lower-case hex SHA-256 of an API key (the bearer token of <c>authorization</c>) → class. Default none.</summary>
    public Dictionary<string, RequestPriority> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The class of every other request. Default <see cref="RequestPriority.Standard"/>.</summary>
    public RequestPriority Default { get; set; } = RequestPriority.Standard;
}
