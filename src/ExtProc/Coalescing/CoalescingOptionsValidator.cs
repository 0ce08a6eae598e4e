using AiSidecar.Configuration;
using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Routing;

namespace AiSidecar.ExtProc.Coalescing;

/// <summary>What binding cannot check in the <c>coalescing</c> section and the catalogue's <c>upstream</c> and <c>coalesce</c> entries.</summary>
internal static class CoalescingOptionsValidator
{
    /// <summary>The APIs whose requests can share a batch.</summary>
    public static readonly IReadOnlySet<ApiKind> Coalescible = new HashSet<ApiKind> { ApiKind.Embeddings, ApiKind.Rerank, ApiKind.Completions };

    public static void Validate(CoalescingOptions options, IReadOnlySet<string> owned, ICollection<ConfigIssue> issues)
    {
        if (options.TenantHeader.Length > 0)
        {
            RoutingOptionsValidator.InputHeader($"{CoalescingOptions.SectionName}.tenantHeader", options.TenantHeader, owned, issues);
        }
    }

    /// <summary>A pool's <c>upstream</c>: an absolute http(s) URL without query or fragment, a token file that exists.</summary>
    public static void ValidateUpstream(PoolUpstreamOptions upstream, string at, ICollection<ConfigIssue> issues)
    {
        if (!Uri.TryCreate(upstream.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
            || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
        {
            issues.Add(new($"{at}.url", "must be an absolute http:// or https:// URL without credentials, query or fragment (the model server's base URL; the request's path is appended)."));
        }

        if (upstream.BearerTokenFile.Length > 0 && !File.Exists(upstream.BearerTokenFile))
        {
            issues.Add(new($"{at}.bearerTokenFile", $"'{upstream.BearerTokenFile}' does not exist."));
        }
    }

    /// <summary>
    /// A model's <c>coalesce</c>: coalescible APIs the model serves, and an <c>upstream</c> on every pool its requests
    /// can be sent to (its versions' pools, else the ranges' pools; its overflow pools).
    /// </summary>
    public static void ValidateModel(ModelOptions model, ModelCoalesceOptions coalesce, string at, CatalogueOptions catalogue, ICollection<ConfigIssue> issues)
    {
        var served = model.Apis.Count > 0 ? model.Apis : [.. Enum.GetValues<ApiKind>()];
        foreach (var api in coalesce.Apis.Distinct())
        {
            if (!Coalescible.Contains(api))
            {
                issues.Add(new($"{at}.apis", $"{ConfigEnumNames.ToConfigName(api)} cannot be coalesced; only embeddings, rerank and completions can."));
            }
            else if (!served.Contains(api))
            {
                issues.Add(new($"{at}.apis", $"model '{model.Name}' does not serve {ConfigEnumNames.ToConfigName(api)}."));
            }
        }

        if (!served.Any(Coalescible.Contains))
        {
            issues.Add(new(at, $"model '{model.Name}' serves none of embeddings, rerank and completions: there is nothing to coalesce."));
        }

        var upstreams = catalogue.Pools.Where(p => p.Upstream is not null).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var targets = (model.Versions.Count > 0 ? model.Versions.Select(v => v.Pool) : catalogue.Ranges.Select(r => r.Pool))
            .Concat(model.Overflow.Select(o => o.Pool));
        foreach (var pool in targets.Distinct().Where(p => !upstreams.Contains(p)))
        {
            issues.Add(new(at, $"pool '{pool}' (where '{model.Name}' can be sent) has no upstream: declare it in {CatalogueOptions.SectionName}.pools with an upstream URL, where the server sends the batches."));
        }
    }

    /// <summary>The APIs a compiled model coalesces; empty when it does not.</summary>
    public static IReadOnlySet<ApiKind> ApisOf(ModelOptions model)
    {
        if (model.Coalesce is not { } coalesce)
        {
            return new HashSet<ApiKind>();
        }

        var served = model.Apis.Count > 0 ? model.Apis : [.. Enum.GetValues<ApiKind>()];
        return (coalesce.Apis.Count > 0 ? coalesce.Apis : served).Where(Coalescible.Contains).ToHashSet();
    }
}
