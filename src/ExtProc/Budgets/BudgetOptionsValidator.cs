using AiSidecar.Configuration;
using AiSidecar.ExtProc.Coalescing;
using AiSidecar.ExtProc.Redis;
using AiSidecar.ExtProc.Responses;
using AiSidecar.ExtProc.Routing;

namespace AiSidecar.ExtProc.Budgets;

/// <summary>What binding cannot check in the <c>budgets</c> section: what enforcing them needs, the tenant header.</summary>
internal static class BudgetOptionsValidator
{
    public static void Validate(BudgetOptions options, RedisOptions? redis, ResponsesOptions? responses, CoalescingOptions? coalescing,
        IReadOnlySet<string> owned, ICollection<ConfigIssue> issues)
    {
        const string Root = BudgetOptions.SectionName;
        if (options.TenantHeader.Length > 0)
        {
            RoutingOptionsValidator.InputHeader($"{Root}.tenantHeader", options.TenantHeader, owned, issues);
            if (coalescing is { TenantHeader.Length: > 0 } && coalescing.TenantHeader != options.TenantHeader)
            {
                issues.Add(new($"{Root}.tenantHeader", $"'{options.TenantHeader}' differs from coalescing.tenantHeader ('{coalescing.TenantHeader}'): the server has one tenant header; name the same one, or leave one empty."));
            }
        }

        if (!options.Enabled)
        {
            return;
        }

        if (redis is { Endpoints.Count: 0 })
        {
            issues.Add(new($"{Root}.enabled", "needs redis.endpoints: the budgets live in Redis, shared by every replica."));
        }

        if (responses is { ReadUsage: false })
        {
            issues.Add(new($"{Root}.enabled", "needs responses.readUsage: true, or no reservation could be reconciled with the tokens used."));
        }
    }
}
