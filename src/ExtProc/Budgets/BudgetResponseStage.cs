using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Budgets;

/// <summary>Puts the rate-limit headers of a budgeted request on its response (overwriting any the upstream sent).</summary>
internal sealed class BudgetResponseStage : IResponseStage
{
    public int Order => 400;

    public ValueTask OnResponseHeadersAsync(Exchange exchange)
    {
        if (exchange.Budget is { } budget)
        {
            foreach (var (name, value) in budget.Headers)
            {
                exchange.Response.SetHeader(name, value);
            }
        }

        return ValueTask.CompletedTask;
    }
}
