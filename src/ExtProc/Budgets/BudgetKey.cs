using System.Globalization;
using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Budgets;

/// <summary>
/// Who a budget belongs to and its Redis keys: the tenant is a SHA-256 (a tenant header's value, else the API key's
/// hash taken at request_headers), never the value itself; windows are fixed, numbered on the server's clock.
/// </summary>
internal static class BudgetKey
{
    /// <summary>The tenant of <paramref name="exchange"/>: <c>h</c> + the header value's hash, <c>k</c> + the API key's, or <c>anonymous</c>.</summary>
    public static string TenantOf(Exchange exchange, string tenantHeader)
    {
        if (tenantHeader.Length > 0)
        {
            // The routing table's tenant header is this one (the configs must agree), hashed with the request's headers.
            return exchange.Head.TenantHash is { } tenant ? "h" + tenant[..32] : "anonymous";
        }

        return exchange.Head.ApiKeyHash is { Length: > 0 } key ? "k" + key[..32] : "anonymous";
    }

    /// <summary>The keys (<c>{prefix}budget:{tenant:model}:tpm:{minute}</c>, <c>tpd:{day}</c>, <c>rpm:{minute}</c>) of one tenant's budget on one model for the windows holding <paramref name="now"/>: minute tokens, day tokens, minute requests.</summary>
    public static string[] Keys(string prefix, string tenant, string model, DateTimeOffset now)
    {
        var minute = (now.ToUnixTimeSeconds() / 60).ToString(CultureInfo.InvariantCulture);
        var day = (now.ToUnixTimeSeconds() / 86_400).ToString(CultureInfo.InvariantCulture);
        // One hash tag per tenant and model: its counters share a Redis Cluster slot, as one script's keys must.
        var stem = $"{prefix}budget:{{{tenant}:{model}}}:";
        return [stem + "tpm:" + minute, stem + "tpd:" + day, stem + "rpm:" + minute];
    }
}
