using AiSidecar.ExtProc.Budgets;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers token budgets (the server only: the commands never call Redis).</summary>
internal static class BudgetsServiceCollectionExtensions
{
    /// <summary>Adds the Redis connection, the budget store, the reserving stage and the response headers stage.</summary>
    public static IServiceCollection AddBudgets(this IServiceCollection services)
    {
        services.AddRedis();
        services.TryAddSingleton<BudgetStore>();
        return services.AddRequestStage<BudgetStage>().AddResponseStage<BudgetResponseStage>();
    }
}
