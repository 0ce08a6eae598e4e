namespace AiSidecar.ExtProc.Admission.Priority;

/// <summary>Where a request's priority class came from (the <c>source</c> label of <c>extproc_priority_requests_total</c>).</summary>
internal enum PrioritySource
{
    /// <summary>The priority header, from a trusted caller.</summary>
    Header,

    /// <summary>The tenant header's value, in <c>admission.priority.tenants</c>.</summary>
    Tenant,

    /// <summary>The API key's SHA-256, in <c>admission.priority.apiKeys</c>.</summary>
    ApiKey,

    /// <summary>None of the above: <c>admission.priority.default</c>.</summary>
    Default,
}
