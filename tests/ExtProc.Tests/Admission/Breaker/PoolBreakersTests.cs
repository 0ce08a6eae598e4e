using AiSidecar.ExtProc.Admission.Breaker;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Admission.Breaker;

/// <summary>The breaker state machine on a fake clock: 3 failures in a row open it for 10 s, then 2 probes decide.</summary>
public sealed class PoolBreakersTests : IDisposable
{
    private const string Pool = "llm-small";
    private readonly FakeTimeProvider _time = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly PipelineHarness _harness;

    public PoolBreakersTests() => _harness = new PipelineHarness(
        TestConfigs.Load("admission:\n  breaker:\n    failures: 3\n    openSeconds: 10\n    halfOpenProbes: 2\n"),
        s => s.AddSingleton<TimeProvider>(_time).AddSingleton<ILoggerProvider>(_logs));

    private PoolBreakers Breakers => _harness.Services.GetRequiredService<PoolBreakers>();

    public void Dispose() => _harness.Dispose();

    private Exchange NewExchange() => _harness.NewExchange(ApiKind.ChatCompletions, "/v1/chat/completions", "{}");

    /// <summary>A request sent with a permit, its response headers seen with <paramref name="status"/>.</summary>
    private async Task<BreakerPermit> SendAsync(int status)
    {
        var exchange = NewExchange();
        var permit = Breakers.TryEnter(Pool, exchange);
        if (permit != BreakerPermit.Refused)
        {
            exchange.Applied = true;
            exchange.Response.Arrived(new Envoy.Config.Core.V3.HeaderMap { Headers = { new Envoy.Config.Core.V3.HeaderValue { Key = ":status", RawValue = Google.Protobuf.ByteString.CopyFromUtf8(status.ToString(System.Globalization.CultureInfo.InvariantCulture)) } } }, _time.GetTimestamp());
            await _harness.Services.GetServices<IResponseStage>().OfType<BreakerResponseStage>().Single().OnResponseHeadersAsync(exchange);
        }

        await exchange.EndAsync(ExchangeEnding.Completed);
        return permit;
    }

    private async Task OpenAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(BreakerPermit.Allowed, await SendAsync(503));
        }
    }

    [Fact]
    public async Task TryEnter_AfterFailuresInARow_RefusesUntilTheOpenPeriodEnds()
    {
        Assert.Equal(BreakerPermit.Allowed, await SendAsync(500));
        Assert.Equal(BreakerPermit.Allowed, await SendAsync(200));
        await OpenAsync();

        Assert.Equal(BreakerState.Open, Breakers.StateOf(Pool));
        Assert.Equal(BreakerPermit.Refused, await SendAsync(200));
        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(BreakerPermit.Refused, await SendAsync(200));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(BreakerState.HalfOpen, Breakers.StateOf(Pool));
        Assert.Single(_logs.Entries, e => e.EventName == "BreakerOpened");
        Assert.Single(_logs.Entries, e => e.EventName == "BreakerHalfOpen");
    }

    [Fact]
    public async Task TryEnter_HalfOpen_LetsProbesThroughAndClosesWhenAllSucceed()
    {
        await OpenAsync();
        _time.Advance(TimeSpan.FromSeconds(10));
        var first = NewExchange();
        var second = NewExchange();

        Assert.Equal(BreakerPermit.Probe, Breakers.TryEnter(Pool, first));
        Assert.Equal(BreakerPermit.Probe, Breakers.TryEnter(Pool, second));
        Assert.Equal(BreakerPermit.Refused, Breakers.TryEnter(Pool, NewExchange()));
        first.BreakerTicket!.Complete(success: true);
        Assert.Equal(BreakerState.HalfOpen, Breakers.StateOf(Pool));
        second.BreakerTicket!.Complete(success: true);

        Assert.Equal(BreakerState.Closed, Breakers.StateOf(Pool));
        Assert.Equal(BreakerPermit.Allowed, await SendAsync(200));
        Assert.Single(_logs.Entries, e => e.EventName == "BreakerClosed");
    }

    [Theory]
    [InlineData(503)]
    [InlineData(504)]
    public async Task TryEnter_HalfOpenProbeFails_OpensAgainAndLateProbesCountForNothing(int status)
    {
        await OpenAsync();
        _time.Advance(TimeSpan.FromSeconds(10));
        var slow = NewExchange();
        Assert.Equal(BreakerPermit.Probe, Breakers.TryEnter(Pool, slow));

        Assert.Equal(BreakerPermit.Probe, await SendAsync(status));

        Assert.Equal(BreakerState.Open, Breakers.StateOf(Pool));
        Assert.Single(_logs.Entries, e => e.EventName == "BreakerReopened");
        _time.Advance(TimeSpan.FromSeconds(10));
        slow.BreakerTicket!.Complete(success: true);
        slow.BreakerTicket.Complete(success: true);
        Assert.Equal(BreakerState.HalfOpen, Breakers.StateOf(Pool));
    }

    [Theory]
    [InlineData(nameof(ExchangeEnding.Shutdown), true, nameof(BreakerState.HalfOpen))]
    [InlineData(nameof(ExchangeEnding.Answered), false, nameof(BreakerState.HalfOpen))]
    [InlineData(nameof(ExchangeEnding.Reset), true, nameof(BreakerState.HalfOpen))]
    [InlineData(nameof(ExchangeEnding.Completed), true, nameof(BreakerState.HalfOpen))]
    public async Task EndAsync_ProbeWithoutResponse_GivesItsSlotBack(string endingName, bool applied, string expectedName)
    {
        var ending = Enum.Parse<ExchangeEnding>(endingName);
        var expected = Enum.Parse<BreakerState>(expectedName);
        await OpenAsync();
        _time.Advance(TimeSpan.FromSeconds(10));
        var probes = new[] { NewExchange(), NewExchange() };
        Assert.All(probes, p => Assert.Equal(BreakerPermit.Probe, Breakers.TryEnter(Pool, p)));
        Assert.Equal(BreakerPermit.Refused, Breakers.TryEnter(Pool, NewExchange()));

        probes[0].Applied = applied;
        await probes[0].EndAsync(ending);

        Assert.Equal(expected, Breakers.StateOf(Pool));
        Assert.Equal(expected == BreakerState.HalfOpen ? BreakerPermit.Probe : BreakerPermit.Refused, Breakers.TryEnter(Pool, NewExchange()));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(501)]
    [InlineData(505)]
    [InlineData(404)]
    public async Task OnResponseHeadersAsync_StatusThatIsNotThePoolsFailure_ResetsTheFailureRun(int status)
    {
        await SendAsync(503);
        await SendAsync(503);
        await SendAsync(status);
        await SendAsync(503);
        await SendAsync(503);

        Assert.Equal(BreakerState.Closed, Breakers.StateOf(Pool));
    }

    [Fact]
    public async Task OpenFor_WhileOpen_CountsDownToTheHalfOpenMoment()
    {
        Assert.Equal(TimeSpan.Zero, Breakers.OpenFor(Pool));
        await OpenAsync();
        Assert.Equal(TimeSpan.FromSeconds(10), Breakers.OpenFor(Pool));

        _time.Advance(TimeSpan.FromSeconds(7.5));
        Assert.Equal(TimeSpan.FromSeconds(2.5), Breakers.OpenFor(Pool));

        _time.Advance(TimeSpan.FromSeconds(2.5));
        Assert.Equal(BreakerState.HalfOpen, Breakers.StateOf(Pool));
        Assert.Equal(TimeSpan.Zero, Breakers.OpenFor(Pool));
    }

    [Fact]
    public async Task TryEnter_AfterAReloadDropsThePool_ForgetsItsBreakerAndItStartsClosedWhenBack()
    {
        await OpenAsync();
        var source = _harness.Services.GetRequiredService<AiSidecar.ExtProc.Routing.RoutingTableSource>();
        var tokenizers = _harness.Services.GetRequiredService<AiSidecar.ExtProc.Tokenization.TokenizerCache>();
        var without = TestConfigs.Load("catalogue:\n  ranges:\n    - name: all\n      pool: llm-other\n").Config;
        source.Replace(AiSidecar.ExtProc.Routing.RoutingTableSource.Compile(without, tokenizers, generation: 2));

        // Any request after the reload prunes: the open breaker of the dropped pool is gone.
        Assert.Equal(BreakerPermit.Allowed, Breakers.TryEnter("llm-other", NewExchange()));
        Assert.Equal(BreakerState.Closed, Breakers.StateOf(Pool));
        Assert.Equal(TimeSpan.Zero, Breakers.OpenFor(Pool));

        // Back in the next reload, the pool starts closed.
        source.Replace(AiSidecar.ExtProc.Routing.RoutingTableSource.Compile(TestConfigs.Load("").Config, tokenizers, generation: 3));
        Assert.Equal(BreakerPermit.Allowed, await SendAsync(200));
        Assert.Equal(BreakerState.Closed, Breakers.StateOf(Pool));
    }

    [Fact]
    public async Task TryEnter_FailuresZero_AllowsEverythingAndTakesNoLease()
    {
        using var harness = new PipelineHarness(TestConfigs.Load("admission:\n  breaker:\n    failures: 0\n"));
        var breakers = harness.Services.GetRequiredService<PoolBreakers>();
        var exchange = harness.NewExchange(ApiKind.ChatCompletions, "/v1/chat/completions", "{}");
        for (var i = 0; i < 10; i++)
        {
            breakers.Record(Pool, success: false);
        }

        Assert.Equal(BreakerPermit.Allowed, breakers.TryEnter(Pool, exchange));
        Assert.Null(exchange.BreakerTicket);
        Assert.Equal(BreakerState.Closed, breakers.StateOf(Pool));
        await exchange.EndAsync(ExchangeEnding.Completed);
    }
}
