using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Threading.Channels;
using AiSidecar.ExtProc.Coalescing;
using AiSidecar.ExtProc.Coalescing.Codecs;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Coalescing;

/// <summary>
/// The batcher on a fake clock with a scripted upstream and a stand-in codec (members named by their key's id): when
/// batches go, what they hold, and what each member gets. The real codecs and a real upstream are in the scenario tests.
/// </summary>
public sealed class CoalescerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedUpstream _upstream = new();
    private readonly ServiceProvider _provider = new ServiceCollection().AddLogging().AddExtProcTelemetry(new TelemetryOptions()).BuildServiceProvider();
    private Coalescer? _coalescer;

    private Coalescer Coalescer => _coalescer ??= Create(new CoalescingOptions());

    public void Dispose()
    {
        _coalescer?.Dispose();
        _provider.Dispose();
    }

    private Coalescer Create(CoalescingOptions options) =>
        _coalescer = new Coalescer(Options.Create(options), _upstream, _time, _provider.GetRequiredService<ExtProcMetrics>(), NullLogger<Coalescer>.Instance);

    private static PoolUpstreamOptions Upstream(int maxInFlight = 1, int maxInputs = 32) =>
        new() { Url = "http://engine:8080", MaxInFlight = maxInFlight, MaxInputs = maxInputs, TimeoutMs = 10_000 };

    private Task<CoalesceResult> Join(string id, PoolUpstreamOptions upstream, int items = 1, int maxWaitMs = 10, int remainingMs = 1000, string lane = "lane", CancellationToken hold = default) =>
        Coalescer.JoinAsync(new CoalesceRequest("pool", upstream, "/v1/embeddings", lane, StandInCodec.Instance,
            StandInCodec.Member(id, items), TimeSpan.FromMilliseconds(maxWaitMs), TimeSpan.FromMilliseconds(remainingMs), null), hold);

    [Fact]
    public async Task JoinAsync_IdleUpstream_SendsALoneRequestAtOnce()
    {
        var upstream = Upstream();

        var lone = Join("a", upstream);
        var call = await _upstream.NextAsync();
        call.Answer();

        Assert.Equal(["a"], call.Members);
        Assert.Equal(("answer:a", 1), await Answered(lone));
    }

    [Fact]
    public async Task JoinAsync_EverySlotBusy_FillsOneBatchAndSendsItWhenTheSlotFrees()
    {
        var upstream = Upstream(maxInFlight: 1);
        var first = Join("a", upstream);
        var busy = await _upstream.NextAsync();

        var waiting = new[] { Join("b", upstream), Join("c", upstream), Join("d", upstream) };
        Assert.False(_upstream.HasCall);
        busy.Answer();
        var batch = await _upstream.NextAsync();
        batch.Answer();

        Assert.Equal(["b", "c", "d"], batch.Members);
        Assert.Equal(("answer:a", 1), await Answered(first));
        Assert.Equal([("answer:b", 3), ("answer:c", 3), ("answer:d", 3)], await Task.WhenAll(waiting.Select(Answered)));
    }

    [Fact]
    public async Task JoinAsync_MoreThanMaxInputs_SplitsIntoFullBatchesSentInOrder()
    {
        var upstream = Upstream(maxInFlight: 1, maxInputs: 4);
        _ = Join("a", upstream);
        var busy = await _upstream.NextAsync();
        var members = new List<Task<CoalesceResult>> { Join("b", upstream, items: 2), Join("c", upstream, items: 2), Join("d", upstream, items: 3), Join("e", upstream) };

        busy.Answer();
        var second = await _upstream.NextAsync();
        second.Answer();
        var third = await _upstream.NextAsync();
        third.Answer();

        // b+c fill 4 inputs; d (3) would not fit with them, e joins d's batch.
        Assert.Equal(("b,c", "d,e"), (second.Ids, third.Ids));
        Assert.All(await Task.WhenAll(members), r => Assert.Equal(CoalesceOutcome.Answered, r.Outcome));
    }

    [Fact]
    public async Task JoinAsync_BusyUpstreamWithAFreeSlotAndFastArrivals_WaitsForTheWindowThenSends()
    {
        var upstream = Upstream(maxInFlight: 3);
        _ = Join("a", upstream, lane: "other");
        _ = await _upstream.NextAsync(); // one call out: the upstream is not idle

        // Requests 1 ms apart with a 10 ms window: the batch waits for more rather than going at once.
        var first = Join("b", upstream);
        var sentAlone = await _upstream.NextAsync();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var second = Join("c", upstream);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var third = Join("d", upstream);
        Assert.False(_upstream.HasCall);

        _time.Advance(TimeSpan.FromMilliseconds(10));
        var batch = await _upstream.NextAsync();
        sentAlone.Answer();
        batch.Answer();

        Assert.Equal(("b", "c,d"), (sentAlone.Ids, batch.Ids));
        Assert.Equal([CoalesceOutcome.Answered, CoalesceOutcome.Answered, CoalesceOutcome.Answered], (await Task.WhenAll(first, second, third)).Select(r => r.Outcome));
    }

    [Fact]
    public async Task JoinAsync_SlowArrivalsWithAFreeSlot_SendEachAtOnce()
    {
        var upstream = Upstream(maxInFlight: 4);
        _ = Join("a", upstream);
        _ = await _upstream.NextAsync();

        _time.Advance(TimeSpan.FromMilliseconds(50));
        _ = Join("b", upstream);
        var b = await _upstream.NextAsync();
        _time.Advance(TimeSpan.FromMilliseconds(50));
        _ = Join("c", upstream);
        var c = await _upstream.NextAsync();

        Assert.Equal(("b", "c"), (b.Ids, c.Ids));
    }

    [Fact]
    public async Task JoinAsync_HeldCapReached_PassesTheNextThroughAndHoldsAgainOnceBelow()
    {
        Create(new CoalescingOptions { MaxHeldRequests = 3 });
        var upstream = Upstream(maxInFlight: 1);
        var a = Join("a", upstream);
        var stalled = await _upstream.NextAsync();
        _ = Join("b", upstream);
        _ = Join("c", upstream);

        Assert.Equal(CoalesceResult.PassThrough("held_cap"), await Join("d", upstream));
        Assert.Equal(3, Coalescer.HeldRequests);

        stalled.Answer();
        await a;
        var next = await _upstream.NextAsync();
        Assert.Equal(2, Coalescer.HeldRequests);
        var e = Join("e", upstream);
        next.Answer();
        (await _upstream.NextAsync()).Answer();
        Assert.Equal(CoalesceOutcome.Answered, (await e).Outcome);
    }

    [Fact]
    public async Task JoinAsync_HoldEndsBeforeTheBatchGoes_LeavesItAndTheOthersStillGo()
    {
        var upstream = Upstream(maxInFlight: 1);
        _ = Join("a", upstream);
        var busy = await _upstream.NextAsync();
        using var gone = new CancellationTokenSource();
        var leaving = Join("b", upstream, hold: gone.Token);
        var staying = Join("c", upstream);

        await gone.CancelAsync();
        Assert.Equal(CoalesceResult.PassThrough("cancelled"), await leaving);
        busy.Answer();
        var batch = await _upstream.NextAsync();
        batch.Answer();

        Assert.Equal(["c"], batch.Members);
        Assert.Equal(("answer:c", 1), await Answered(staying));
    }

    [Fact]
    public async Task JoinAsync_HoldEndsAfterTheBatchWent_TheCallGoesOnForTheOthers()
    {
        var upstream = Upstream(maxInFlight: 1);
        _ = Join("a", upstream);
        var busy = await _upstream.NextAsync();
        using var gone = new CancellationTokenSource();
        var leaving = Join("b", upstream, hold: gone.Token);
        var staying = Join("c", upstream);
        busy.Answer();
        var batch = await _upstream.NextAsync();

        await gone.CancelAsync();
        batch.Answer();

        Assert.Equal(["b", "c"], batch.Members);
        Assert.Equal(("answer:c", 2), await Answered(staying));
        Assert.Equal(CoalesceOutcome.Answered, (await leaving).Outcome);
    }

    [Fact]
    public async Task JoinAsync_NoSlotBeforeItsTimeRunsOut_LeavesToPassThrough()
    {
        var upstream = Upstream(maxInFlight: 1);
        _ = Join("a", upstream);
        _ = await _upstream.NextAsync();
        var late = Join("b", upstream, remainingMs: 100);

        // It must keep the reserve (5 ms before any call has been timed) for its own call: it leaves at 95 ms.
        _time.Advance(TimeSpan.FromMilliseconds(94));
        Assert.False(late.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(CoalesceResult.PassThrough("expired"), await late);
    }

    [Fact]
    public async Task JoinAsync_TooLittleTimeLeft_IsNeverHeld()
    {
        Assert.Equal(CoalesceResult.PassThrough("no_time"), await Join("a", Upstream(), remainingMs: 4));
        Assert.Equal(CoalesceResult.PassThrough("too_large"), await Join("b", Upstream(maxInputs: 4), items: 5));
        Assert.False(_upstream.HasCall);
    }

    [Fact]
    public async Task JoinAsync_SlowCallWhileBusy_LaterMembersKeepTwiceItsDurationForTheirCall()
    {
        var upstream = Upstream(maxInFlight: 2);
        var slow = Join("a", upstream);
        var call = await _upstream.NextAsync();
        _time.Advance(TimeSpan.FromMilliseconds(400));
        call.Answer();
        await slow;
        _ = Join("b", upstream);
        _ = await _upstream.NextAsync(); // one call out: the next request could wait

        // 2 × 400 ms must stay for the call, and 5 ms more: 500 ms left is not enough to be held.
        Assert.Equal(CoalesceResult.PassThrough("no_time"), await Join("c", upstream, remainingMs: 500));
        Assert.False(_upstream.HasCall);
    }

    [Fact]
    public async Task JoinAsync_IdleUpstreamAfterASlowCall_IsHeldAndSentAtOnce()
    {
        var upstream = Upstream();
        var slow = Join("a", upstream);
        var call = await _upstream.NextAsync();
        _time.Advance(TimeSpan.FromMilliseconds(900));
        call.Answer();
        await slow;

        // Nothing in flight: the request cannot wait, so the slow call's reserve (1.8 s) does not keep it from the batch
        // path; its call times the upstream again.
        var next = Join("b", upstream, remainingMs: 1000);
        var sent = await _upstream.NextAsync();
        _time.Advance(TimeSpan.FromMilliseconds(10));
        sent.Answer();

        Assert.Equal(("answer:b", 1), await Answered(next));
    }

    [Fact]
    public async Task JoinAsync_TimedOutCall_DoesNotLengthenTheReserve()
    {
        var upstream = Upstream(maxInFlight: 1);
        _ = Join("a", upstream);
        var timedOut = await _upstream.NextAsync();
        _time.Advance(TimeSpan.FromMilliseconds(950));
        timedOut.Fail(new UpstreamReply(UpstreamResult.Timeout));
        _ = Join("b", upstream);
        var busy = await _upstream.NextAsync();

        // No call has been answered yet: the reserve is still the least (5 ms), so 100 ms left is enough to wait for
        // the slot (twice the timed-out call, 1.9 s, would have sent it straight through as no_time).
        var waiting = Join("c", upstream, remainingMs: 100);
        Assert.False(waiting.IsCompleted);
        busy.Answer();
        var batch = await _upstream.NextAsync();
        batch.Answer();

        Assert.Equal(("answer:c", 1), await Answered(waiting));
    }

    [Theory]
    [InlineData("HttpError", 503, "Error", "failed:upstream_failed:502")]
    [InlineData("Unreachable", 0, "Error", "failed:upstream_failed:502")]
    [InlineData("Timeout", 0, "Error", "failed:upstream_timeout:504")]
    [InlineData("Timeout", 0, "Passthrough", "passthrough:upstream_failed")]
    [InlineData("HttpError", 500, "Passthrough", "passthrough:upstream_failed")]
    [InlineData("HttpError", 400, "Error", "passthrough:upstream_refused")]
    [InlineData("HttpError", 429, "Error", "failed:upstream_failed:502")]
    [InlineData("BreakerOpen", 0, "Error", "passthrough:breaker_open")]
    public async Task JoinAsync_UpstreamFails_EveryMemberGetsWhatThePolicySays(string result, int status, string policy, string expected)
    {
        Create(new CoalescingOptions { OnUpstreamFailure = Enum.Parse<UpstreamFailurePolicy>(policy) });
        var upstream = Upstream(maxInFlight: 1);
        _ = Join("a", upstream);
        var busy = await _upstream.NextAsync();
        var members = new[] { Join("b", upstream), Join("c", upstream) };
        busy.Answer();

        (await _upstream.NextAsync()).Fail(new UpstreamReply(Enum.Parse<UpstreamResult>(result), status));

        Assert.All(await Task.WhenAll(members), r => Assert.Equal(expected, r.Outcome == CoalesceOutcome.Failed
            ? $"failed:{r.Reason}:{r.Error!.Status}" : $"{r.Outcome.ToString().ToLowerInvariant()}:{r.Reason}"));
    }

    [Fact]
    public async Task JoinAsync_AnswerThatDoesNotFitTheMembers_FailsThem()
    {
        var a = Join("a", Upstream());

        (await _upstream.NextAsync()).Complete(new UpstreamReply(UpstreamResult.Ok, 200, Encoding.UTF8.GetBytes("x,y")));

        var result = await a;
        Assert.Equal((CoalesceOutcome.Failed, "upstream_failed", 502), (result.Outcome, result.Reason, result.Error!.Status));
    }

    private static async Task<(string Body, int BatchSize)> Answered(Task<CoalesceResult> pending)
    {
        var result = await pending;
        Assert.Equal(CoalesceOutcome.Answered, result.Outcome);
        return (Encoding.UTF8.GetString(result.Body!), result.BatchSize);
    }

    /// <summary>Members are ids; a batch is their ids joined with commas; the answer is "answer:id" per id, in order.</summary>
    private sealed class StandInCodec : ICoalesceCodec
    {
        public static readonly StandInCodec Instance = new();

        public ApiKind Api => ApiKind.Embeddings;

        public static CoalesceMember Member(string id, int items) => new() { Key = id, Items = items, Bytes = 10 };

        public bool TryRead(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out CoalesceMember? member, [NotNullWhen(false)] out string? reason) => throw new NotSupportedException();

        public byte[] Merge(IReadOnlyList<CoalesceMember> members) => Encoding.UTF8.GetBytes(string.Join(',', members.Select(m => m.Key)));

        public CoalesceSplit Split(ReadOnlyMemory<byte> response, IReadOnlyList<CoalesceMember> members, Func<string, int>? completionTokens)
        {
            var ids = Encoding.UTF8.GetString(response.Span).Split(',');
            return ids.Length == members.Count && ids.Zip(members).All(p => p.First == p.Second.Key)
                ? new CoalesceSplit([.. ids.Select(id => Encoding.UTF8.GetBytes("answer:" + id))], null)
                : new CoalesceSplit(null, "ids do not match");
        }
    }

    /// <summary>Each call waits until the test answers it.</summary>
    private sealed class ScriptedUpstream : IUpstreamCaller
    {
        private readonly Channel<Call> _calls = Channel.CreateUnbounded<Call>();

        public bool HasCall => _calls.Reader.Count > 0;

        public bool IsOpen(string pool, PoolUpstreamOptions upstream) => false;

        public Task<UpstreamReply> CallAsync(string pool, PoolUpstreamOptions upstream, string path, byte[] body, TimeSpan timeout)
        {
            var call = new Call(Encoding.UTF8.GetString(body).Split(','));
            _calls.Writer.TryWrite(call);
            return call.Reply.Task;
        }

        public async Task<Call> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await _calls.Reader.ReadAsync(timeout.Token);
        }
    }

    private sealed class Call(string[] members)
    {
        public string[] Members { get; } = members;

        public string Ids => string.Join(',', Members);

        public TaskCompletionSource<UpstreamReply> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Answers as the engine would: the members' ids back.</summary>
        public void Answer() => Complete(new UpstreamReply(UpstreamResult.Ok, 200, Encoding.UTF8.GetBytes(string.Join(',', Members))));

        public void Fail(UpstreamReply reply) => Complete(reply);

        public void Complete(UpstreamReply reply) => Reply.TrySetResult(reply);
    }
}
