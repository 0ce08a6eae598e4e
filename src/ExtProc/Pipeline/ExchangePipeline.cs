using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Protocol;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Pipeline;

/// <summary>
/// Runs the ordered stages over an exchange: the request stages once the body is complete, the response stages as
/// the response arrives. Stages that complete synchronously cost one interface call each; a stage that awaits is
/// held to the exchange's deadline (<c>processing.messageTimeoutMs</c> less a margin, from the moment the message
/// arrived): past it the server answers 504 itself rather than let Envoy's timer fire. A synchronous stage cannot be
/// cut, so a long one (counting) watches <see cref="Exchange.HoldCancellation"/> and throws when it fires: the same 504.
/// <para/>When the exchange is traced, a stage that held (went asynchronous) gets a child span from its start to its
/// end, unless it started one itself (<see cref="ExtProcTelemetry.StartStage"/>: counting, admission, the coalescing
/// wait, which put what they found on it); the pipeline ends either. Untraced, this costs two null checks per stage.
/// </summary>
internal sealed class ExchangePipeline
{
    private readonly IRequestStage[] _request;
    private readonly string[] _spanNames;
    private readonly IResponseStage[] _response;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _budgetTicks;

    public ExchangePipeline(IEnumerable<IRequestStage> request, IEnumerable<IResponseStage> response, IOptions<ProcessingOptions> options, TimeProvider time, ILogger<ExchangePipeline> logger)
    {
        _request = [.. request.OrderBy(s => s.Order)];
        _spanNames = [.. _request.Select(s => "extproc." + s.Name)];
        _response = [.. response.OrderBy(s => s.Order)];
        _time = time;
        _logger = logger;
        _budgetTicks = (long)(options.Value.HoldBudget.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>The request stages in the order they run.</summary>
    public IReadOnlyList<IRequestStage> RequestStages => _request;

    /// <summary>Runs the request stages until one ends the exchange; <see cref="StageResult.Continue"/> when all continued.</summary>
    public ValueTask<StageResult> RunRequestAsync(Exchange exchange)
    {
        exchange.HoldUntil(_time.GetTimestamp() + _budgetTicks);
        for (var i = 0; i < _request.Length; i++)
        {
            ValueTask<StageResult> pending;
            var started = ExtProcTelemetry.StageStarting(exchange);
            try
            {
                pending = _request[i].ProcessAsync(exchange);
            }
            catch (OperationCanceledException) when (!exchange.Aborted.IsCancellationRequested)
            {
                // A synchronous stage (counting) saw the hold cancellation and stopped.
                ExtProcTelemetry.StageEnded(exchange, null);
                return ValueTask.FromResult(Overran(i));
            }

            if (!pending.IsCompletedSuccessfully)
            {
                ExtProcTelemetry.StageHeld(exchange, _spanNames[i], started);
                return HeldAsync(exchange, i, pending);
            }

            var result = pending.Result;
            ExtProcTelemetry.StageEnded(exchange, result);
            if (!result.IsContinue)
            {
                return ValueTask.FromResult(result);
            }
        }

        return ValueTask.FromResult(StageResult.Continue);
    }

    /// <summary>Runs the response stages over the response headers (already recorded on the exchange).</summary>
    public async ValueTask RunResponseHeadersAsync(Exchange exchange)
    {
        exchange.HoldUntil(_time.GetTimestamp() + _budgetTicks);
        foreach (var stage in _response)
        {
            await Bounded(exchange, stage.OnResponseHeadersAsync(exchange)).ConfigureAwait(false);
        }
    }

    /// <summary>Runs the response stages over one body chunk.</summary>
    public async ValueTask RunResponseBodyAsync(Exchange exchange, ResponseBodyChunk chunk)
    {
        exchange.HoldUntil(_time.GetTimestamp() + _budgetTicks);
        foreach (var stage in _response)
        {
            await Bounded(exchange, stage.OnResponseBodyAsync(exchange, chunk)).ConfigureAwait(false);
        }
    }

    /// <summary>Stage <paramref name="index"/> went asynchronous: wait for it within the deadline, then run the rest.</summary>
    private async ValueTask<StageResult> HeldAsync(Exchange exchange, int index, ValueTask<StageResult> pending)
    {
        for (var i = index; i < _request.Length; i++)
        {
            StageResult result;
            try
            {
                if (i > index)
                {
                    var started = ExtProcTelemetry.StageStarting(exchange);
                    pending = _request[i].ProcessAsync(exchange);
                    if (!pending.IsCompletedSuccessfully)
                    {
                        ExtProcTelemetry.StageHeld(exchange, _spanNames[i], started);
                    }
                }

                result = pending.IsCompletedSuccessfully ? pending.Result
                    : await pending.AsTask().WaitAsync(exchange.HoldCancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                ExtProcTelemetry.StageEnded(exchange, null);
                // The stage may still be running, and reading the exchange.
                exchange.Abandoned = true;
                if (exchange.Aborted.IsCancellationRequested)
                {
                    throw;
                }

                // The stage outlived the deadline, stopped at it, or ignored its token: answer before Envoy's timer does.
                return Overran(i);
            }

            ExtProcTelemetry.StageEnded(exchange, result);
            if (!result.IsContinue)
            {
                return result;
            }
        }

        return StageResult.Continue;
    }

    /// <summary>Stage <paramref name="index"/> ran past the hold's deadline: 504, logged.</summary>
    private StageResult Overran(int index)
    {
        var error = ApiErrors.DeadlineExceeded();
        PipelineLog.StageDeadlineExceeded(_logger, _request[index].Name, error.Status);
        return StageResult.Reject(error);
    }

    /// <summary>A response stage's await, cut at the deadline: the response then passes on without it.</summary>
    private static async ValueTask Bounded(Exchange exchange, ValueTask pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            return;
        }

        try
        {
            await pending.AsTask().WaitAsync(exchange.HoldCancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!exchange.Aborted.IsCancellationRequested)
        {
            // A response is never held past the deadline: it passes on as it is.
        }
    }
}
