using AiSidecar.ExtProc.Pipeline;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Memory;

/// <summary>
/// Runs first: a large body enters the stages only when <see cref="BodyBudget"/> has room for it, waiting in line for
/// at most half the time left to answer (the body still has to be processed once in), else 503 with
/// <c>retry-after</c>. The room is held until the request is decided or answered, when the body is dropped (before
/// the reply waits for the connection).
/// </summary>
internal sealed class BodyBudgetStage(BodyBudget budget, IOptions<MemoryOptions> options, TimeProvider time) : IRequestStage
{
    /// <summary>The lease's kind (<c>extproc_exchange_leases{kind}</c>).</summary>
    public const string LeaseKind = "body_memory";

    private readonly long _largeBodyBytes = options.Value.LargeBodyBytes;
    private readonly int _retryAfterSeconds = options.Value.RetryAfterSeconds;

    public int Order => StageOrder.BodyBudget;

    public string Name => "body-budget";

    public ValueTask<StageResult> ProcessAsync(Exchange exchange)
    {
        var bytes = exchange.Body.Length;
        if (bytes < _largeBodyBytes)
        {
            return ValueTask.FromResult(StageResult.Continue);
        }

        if (budget.TryEnter(bytes) is { } slot)
        {
            exchange.AddLease(LeaseKind, slot, whileBodyHeld: true);
            return ValueTask.FromResult(StageResult.Continue);
        }

        return WaitAsync(exchange, bytes);
    }

    private async ValueTask<StageResult> WaitAsync(Exchange exchange, long bytes)
    {
        var remaining = exchange.Remaining;
        using var limit = new CancellationTokenSource(remaining == Timeout.InfiniteTimeSpan ? remaining : remaining / 2, time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, exchange.HoldCancellation);
        try
        {
            if (await budget.EnterAsync(bytes, wait.Token).ConfigureAwait(false) is { } slot)
            {
                exchange.AddLease(LeaseKind, slot, whileBodyHeld: true);
                return StageResult.Continue;
            }
        }
        catch (OperationCanceledException) when (!exchange.Aborted.IsCancellationRequested)
        {
            // Waited as long as it could.
        }

        return StageResult.Respond(LocalResponse.Overloaded(_retryAfterSeconds));
    }
}
