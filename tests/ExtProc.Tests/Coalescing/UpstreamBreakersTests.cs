using System.Net;
using AiSidecar.ExtProc.Coalescing;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;

namespace AiSidecar.ExtProc.Tests.Coalescing;

/// <summary>
/// The upstream breakers in real Polly pipelines on a fake clock (ratio 0.5 over at least 2 calls, a 30 s break): what
/// the batcher sees while the breaker is open, after its break (the probe) and when it closes or opens again.
/// </summary>
public sealed class UpstreamBreakersTests : IDisposable
{
    private const string Upstream = "http://engine:8080";
    private static readonly CoalesceBreakerOptions Options = new() { FailureRatio = 0.5, MinimumThroughput = 2, SamplingSeconds = 60, BreakSeconds = 30 };
    private readonly FakeTimeProvider _time = new();
    private readonly ServiceProvider _provider = new ServiceCollection().AddLogging().AddExtProcTelemetry(new TelemetryOptions()).BuildServiceProvider();
    private readonly UpstreamBreakers _breakers;

    public UpstreamBreakersTests() => _breakers = new UpstreamBreakers(_time, _provider.GetRequiredService<ExtProcMetrics>());

    public void Dispose() => _provider.Dispose();

    private ResiliencePipeline<HttpResponseMessage> Pipeline()
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time };
        _breakers.AddTo(builder, Upstream, Options);
        return builder.Build();
    }

    private static async Task<string> CallAsync(ResiliencePipeline<HttpResponseMessage> pipeline, HttpStatusCode status)
    {
        try
        {
            using var response = await pipeline.ExecuteAsync(static (s, _) => ValueTask.FromResult(new HttpResponseMessage(s)), status);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (BrokenCircuitException)
        {
            return "broken";
        }
    }

    private Task<double> StateAsync() =>
        ScrapedMetrics.ValueAsync(_provider, $"extproc_coalesce_breaker_state{{upstream=\"{Upstream}\"}}");

    [Fact]
    public void AddTo_PipelineBuiltTwiceForOneUpstream_BothBuild()
    {
        // The HTTP client factory's registry can build a key's pipeline twice when first calls race.
        var first = Pipeline();
        var second = Pipeline();

        Assert.NotSame(first, second);
        Assert.False(_breakers.IsOpen(Upstream));
    }

    [Fact]
    public async Task IsOpen_FailuresOpenIt_TrueForTheBreakThenTheProbeClosesIt()
    {
        var pipeline = Pipeline();
        Assert.Equal(["503", "503"], [await CallAsync(pipeline, HttpStatusCode.ServiceUnavailable), await CallAsync(pipeline, HttpStatusCode.ServiceUnavailable)]);

        Assert.True(_breakers.IsOpen(Upstream));
        Assert.Equal(2, await StateAsync());
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(_breakers.IsOpen(Upstream));

        // The break is over: the batcher sends again, and that call is Polly's probe.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_breakers.IsOpen(Upstream));
        Assert.Equal("200", await CallAsync(pipeline, HttpStatusCode.OK));

        Assert.False(_breakers.IsOpen(Upstream));
        Assert.Equal(0, await StateAsync());
        Assert.Equal("200", await CallAsync(pipeline, HttpStatusCode.OK));
    }

    [Fact]
    public async Task IsOpen_ProbeFails_OpenForAnotherBreak()
    {
        var pipeline = Pipeline();
        await CallAsync(pipeline, HttpStatusCode.BadGateway);
        await CallAsync(pipeline, HttpStatusCode.BadGateway);
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal("502", await CallAsync(pipeline, HttpStatusCode.BadGateway));

        Assert.True(_breakers.IsOpen(Upstream));
        Assert.Equal("broken", await CallAsync(pipeline, HttpStatusCode.OK));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(_breakers.IsOpen(Upstream));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_breakers.IsOpen(Upstream));
    }
}
