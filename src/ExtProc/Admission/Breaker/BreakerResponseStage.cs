using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Admission.Breaker;

/// <summary>
/// Feeds the pool breakers from the response headers of requests sent to a pool: a 5xx is a failure (but 501 and
/// 505, which say the request was not one the server does, not that it is unwell), anything else a success, 429
/// included (load is the admission model's concern, not the breaker's). The outcome goes to the request's permit
/// when it has one, else to its decided pool. An exchange that ends without response headers has no outcome
/// (<see cref="BreakerTicket"/>).
/// </summary>
internal sealed class BreakerResponseStage(PoolBreakers breakers) : IResponseStage
{
    public int Order => 200;

    public ValueTask OnResponseHeadersAsync(Exchange exchange)
    {
        if (exchange.Response.Status is not { } status)
        {
            return ValueTask.CompletedTask;
        }

        var success = !IsFailure(status);
        if (exchange.BreakerTicket is { } ticket)
        {
            ticket.Complete(success);
        }
        else if (exchange.Applied && exchange.Decision is { } decision)
        {
            breakers.Record(decision.Pool, success);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>True for a status that says the pool failed the request.</summary>
    internal static bool IsFailure(int status) => status is >= 500 and <= 599 and not 501 and not 505;
}
