using System.Collections.Concurrent;
using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Coalescing;

/// <summary>
/// Holds compatible requests and sends them to their pool's upstream as one batch. Per pool: at most
/// <c>upstream.maxInFlight</c> batch calls at once, and a first-in first-out line of batches not yet sent, one open
/// (still taking members) per lane. A batch goes when a call slot is free and it is due: at once when the upstream is
/// idle (a lone request waits 0 ms) or when its lane's requests do not come faster than the model's
/// <c>maxWaitMs</c>; otherwise after a window that grows with the lane's arrival rate (an exponential moving
/// average of the gaps between its requests) up to <c>maxWaitMs</c>. While every slot is busy, batches fill up to
/// <c>maxInputs</c>/<c>maxTokens</c> and go in order as slots free. A member leaves a batch not yet sent (and passes
/// through to Envoy) when it would not have time left for the call, or when its stream ends; one whose batch is
/// out is answered or dropped when the call ends: the shared call is never cancelled for one member.
/// </summary>
internal sealed partial class Coalescer : IDisposable
{
    /// <summary>The least time a request must have left beyond the expected call for it to be held at all.</summary>
    private static readonly TimeSpan MinimumReserve = TimeSpan.FromMilliseconds(5);

    private readonly CoalescingOptions _options;
    private readonly IUpstreamCaller _caller;
    private readonly TimeProvider _time;
    private readonly ExtProcMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, PoolLine> _pools = new(StringComparer.Ordinal);
    private int _heldRequests;
    private long _heldBytes;

    public Coalescer(IOptions<CoalescingOptions> options, IUpstreamCaller caller, TimeProvider time, ExtProcMetrics metrics, ILogger<Coalescer> logger)
    {
        _options = options.Value;
        _caller = caller;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Requests held now (waiting for their batch, or in a batch call), all pools.</summary>
    public int HeldRequests => Volatile.Read(ref _heldRequests);

    /// <summary>
    /// Offers <paramref name="request"/> to a batch and waits for its outcome: its own answer or error, or pass
    /// through. <paramref name="hold"/> ends the wait (the stream ended, or its deadline): the request leaves its batch
    /// if the batch has not gone.
    /// </summary>
    public async Task<CoalesceResult> JoinAsync(CoalesceRequest request, CancellationToken hold)
    {
        var member = request.Member;
        var upstream = request.Upstream;
        if (member.Items > upstream.MaxInputs || member.Tokens > upstream.MaxTokens)
        {
            return CoalesceResult.PassThrough("too_large");
        }

        if (_caller.IsOpen(request.Pool, upstream))
        {
            return CoalesceResult.PassThrough("breaker_open");
        }

        var line = _pools.GetOrAdd(request.Pool, static (_, self) => new PoolLine(self), this);
        var reserve = line.Reserve(upstream);
        if (request.Remaining != Timeout.InfiniteTimeSpan && request.Remaining < reserve + MinimumReserve)
        {
            return CoalesceResult.PassThrough("no_time");
        }

        if (!TryHold(member.Bytes))
        {
            return CoalesceResult.PassThrough("held_cap");
        }

        var now = _time.GetTimestamp();
        var held = new HeldMember(request, line, now,
            request.Remaining == Timeout.InfiniteTimeSpan ? long.MaxValue : now + Ticks(request.Remaining),
            request.Remaining == Timeout.InfiniteTimeSpan ? long.MaxValue : now + Ticks(request.Remaining - reserve));
        try
        {
            line.Add(held);
            using (hold.UnsafeRegister(static s => ((HeldMember)s!).Line.Leave((HeldMember)s!, "cancelled"), held))
            {
                return await held.Done.Task.ConfigureAwait(false);
            }
        }
        finally
        {
            Release(member.Bytes);
        }
    }

    public void Dispose()
    {
        foreach (var line in _pools.Values)
        {
            line.Dispose();
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private bool TryHold(int bytes)
    {
        if (Interlocked.Increment(ref _heldRequests) > _options.MaxHeldRequests
            | Interlocked.Add(ref _heldBytes, bytes) > _options.MaxHeldBytes)
        {
            Interlocked.Decrement(ref _heldRequests);
            Interlocked.Add(ref _heldBytes, -bytes);
            return false;
        }

        _metrics.CoalesceHeld(1, bytes);
        return true;
    }

    private void Release(int bytes)
    {
        Interlocked.Decrement(ref _heldRequests);
        Interlocked.Add(ref _heldBytes, -bytes);
        _metrics.CoalesceHeld(-1, -bytes);
    }

    /// <summary>Sends <paramref name="batch"/> (already taken off its line) and answers its members.</summary>
    private async Task SendAsync(PoolLine line, Batch batch)
    {
        var first = batch.Members[0].Request;
        var started = _time.GetTimestamp();
        var members = batch.Members;
        var deadline = members.Min(m => m.DeadlineAt);
        var timeout = TimeSpan.FromMilliseconds(first.Upstream.TimeoutMs);
        if (deadline != long.MaxValue)
        {
            var left = _time.GetElapsedTime(started, deadline);
            timeout = left < timeout ? (left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1)) : timeout;
        }

        _metrics.CoalesceBatchSent(first.Pool, members.Count, batch.Items);
        foreach (var member in members)
        {
            _metrics.CoalesceWaited(first.Pool, _time.GetElapsedTime(member.JoinedAt, started));
        }

        try
        {
            var body = first.Codec.Merge([.. members.Select(m => m.Request.Member)]);
            var reply = await _caller.CallAsync(first.Pool, first.Upstream, first.Path, body, timeout).ConfigureAwait(false);
            if (reply.Result == UpstreamResult.Ok)
            {
                // Failures (a timeout above all) say how long the upstream failed, not how long a batch takes.
                line.Called(_time.GetElapsedTime(started));
            }

            Answer(first, members, reply);
        }
        catch (Exception ex)
        {
            // A fault of ours (merging, splitting), not the upstream's: every member gets an internal error.
            CoalescingLog.BatchFailed(_logger, first.Pool, ex);
            _metrics.CoalesceBatchEnded(first.Pool, "internal");
            foreach (var member in members)
            {
                member.Complete(CoalesceResult.Failed(ApiErrors.Internal(), "internal"));
            }
        }
        finally
        {
            line.Sent();
        }
    }

    private void Answer(CoalesceRequest first, IReadOnlyList<HeldMember> members, UpstreamReply reply)
    {
        var label = reply.Label;
        if (reply.Result == UpstreamResult.Ok)
        {
            var split = first.Codec.Split(reply.Body, [.. members.Select(m => m.Request.Member)], first.CompletionTokens);
            if (split.Bodies is { } bodies && bodies.Count == members.Count)
            {
                _metrics.CoalesceBatchEnded(first.Pool, label);
                for (var i = 0; i < members.Count; i++)
                {
                    members[i].Complete(CoalesceResult.Answered(bodies[i], members.Count));
                }

                return;
            }

            CoalescingLog.AnswerUnfit(_logger, first.Pool, first.Path, split.Error ?? "a body per member was expected");
            label = "invalid_answer";
        }

        _metrics.CoalesceBatchEnded(first.Pool, label);
        var result = reply.Result switch
        {
            // Not sent: as if never held.
            UpstreamResult.BreakerOpen => CoalesceResult.PassThrough("breaker_open"),

            // The engine refused the batch for something in it (one member's input): each member gets the engine's
            // own answer to itself instead.
            UpstreamResult.HttpError when reply.Status is >= 400 and < 500 and not 408 and not 429 => CoalesceResult.PassThrough("upstream_refused"),
            _ when _options.OnUpstreamFailure == UpstreamFailurePolicy.Passthrough => CoalesceResult.PassThrough("upstream_failed"),
            UpstreamResult.Timeout => CoalesceResult.Failed(ApiErrors.UpstreamTimeout(), "upstream_timeout"),
            _ => CoalesceResult.Failed(ApiErrors.UpstreamFailed(), "upstream_failed"),
        };
        foreach (var member in members)
        {
            member.Complete(result);
        }
    }
}
