namespace AiSidecar.ExtProc.Budgets;

internal static partial class BudgetsLog
{
    [LoggerMessage(1, LogLevel.Warning, "A budget of model {Model} could not be reconciled by {Delta} tokens ({Problem}); the counter stays as reserved until its window ends.", EventName = "ReconcileFailed")]
    public static partial void ReconcileFailed(ILogger logger, string model, long delta, string problem);

    [LoggerMessage(2, LogLevel.Debug, "Redis did not answer a budget reservation for model {Model} ({Problem}); policy {Policy}.", EventName = "ReserveFailed")]
    public static partial void ReserveFailed(ILogger logger, string model, string problem, RedisFailurePolicy policy);
}
