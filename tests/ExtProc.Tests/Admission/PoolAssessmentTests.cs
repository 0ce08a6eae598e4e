using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Admission.Gpu;
using AiSidecar.ExtProc.Catalogue;

namespace AiSidecar.ExtProc.Tests.Admission;

public sealed class PoolAssessmentTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(2);

    private static PoolOptions Pool(bool engine = true, bool gpus = false, StaleTelemetryPolicy stale = StaleTelemetryPolicy.Saturated, long kvCacheTokens = 0) => new()
    {
        Name = "p",
        Engine = engine ? new PoolEngineOptions { Kind = EngineKind.Vllm, Endpoints = ["http://e1/metrics", "http://e2/metrics"] } : null,
        Gpus = gpus ? new PoolGpuOptions { Namespace = "llm" } : null,
        Admission = new PoolAdmissionOptions { StaleTelemetry = stale, KvCacheTokens = kvCacheTokens },
    };

    private static EndpointLoad Endpoint(double waiting, double kv, long? capacity = 100_000, bool up = true, double ageSeconds = 0.1, double running = 8) =>
        new("e", up, Now - TimeSpan.FromSeconds(ageSeconds), waiting, running, kv, capacity, null);

    private static PoolVerdict Assess(PoolOptions pool, PoolSamples samples, long demand = 1000) =>
        PoolAssessment.Assess(pool, samples, demand, StaleAfter, Now);

    [Fact]
    public void Assess_NoEngineNoGpus_HeadroomUnmonitored()
    {
        var verdict = Assess(Pool(engine: false), PoolSamples.Unknown);

        Assert.Equal((PoolFit.Headroom, "unmonitored"), (verdict.Fit, verdict.Reason));
    }

    [Fact]
    public void Assess_BelowEveryLimit_HeadroomWithTheFiguresItUsed()
    {
        var verdict = Assess(Pool(), new([Endpoint(2, 0.5), Endpoint(4, 0.3)], null), demand: 10_000);

        Assert.Equal((PoolFit.Headroom, "headroom", 2), (verdict.Fit, verdict.Reason, verdict.LiveEndpoints));
        Assert.Equal(3, verdict.WaitingPerEndpoint);
        Assert.Equal(0.4, verdict.KvUsage!.Value, 9);
        Assert.Equal(0.5, verdict.KvUsageWithDemand!.Value, 9);  // 0.4 + 10,000 / 100,000
        Assert.Equal(0.625, verdict.Load!.Value, 9);             // max(queue 3 / 5, KV 0.5 / 0.8)
    }

    [Fact]
    public void Assess_QueueAtTheLimit_SaturatedByQueue()
    {
        var verdict = Assess(Pool(), new([Endpoint(5, 0.1), Endpoint(5, 0.1)], null));

        Assert.Equal((PoolFit.Saturated, "queue"), (verdict.Fit, verdict.Reason));
        Assert.Equal(1, verdict.Load);
    }

    [Fact]
    public void Assess_DemandTakesKvCacheOverTheLimit_SaturatedByKvCache()
    {
        // 0.75 used + 6,000 / 100,000 = 0.81 > 0.8; without the demand the pool would look fine.
        var verdict = Assess(Pool(), new([Endpoint(0, 0.75)], null), demand: 6_000);

        Assert.Equal((PoolFit.Saturated, "kv_cache"), (verdict.Fit, verdict.Reason));
        Assert.Equal(PoolFit.Headroom, Assess(Pool(), new([Endpoint(0, 0.75)], null), demand: 4_000).Fit);
    }

    [Fact]
    public void Assess_EngineReportsNoCapacity_UsesThePoolsKvCacheTokens()
    {
        var samples = new PoolSamples([Endpoint(0, 0.7, capacity: null)], null);

        Assert.Equal(PoolFit.Headroom, Assess(Pool(kvCacheTokens: 0), samples, demand: 50_000).Fit);
        Assert.Equal("kv_cache", Assess(Pool(kvCacheTokens: 100_000), samples, demand: 50_000).Reason);
    }

    [Fact]
    public void Assess_EveryFreshEndpointDown_Unavailable()
    {
        var verdict = Assess(Pool(), new([Endpoint(0, 0, up: false), Endpoint(0, 0, up: false)], null));

        Assert.Equal((PoolFit.Unavailable, "endpoints_down"), (verdict.Fit, verdict.Reason));
    }

    [Fact]
    public void Assess_OneEndpointUp_JudgedOnThatOne()
    {
        var verdict = Assess(Pool(), new([Endpoint(0, 0, up: false), Endpoint(1, 0.2)], null));

        Assert.Equal((PoolFit.Headroom, 1), (verdict.Fit, verdict.LiveEndpoints));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Assess_EveryScrapeOlderThanStaleAfter_ThePoolsStalePolicy(bool failClosed)
    {
        var policy = failClosed ? StaleTelemetryPolicy.Saturated : StaleTelemetryPolicy.Healthy;
        var expected = failClosed ? PoolFit.Saturated : PoolFit.Headroom;
        var verdict = Assess(Pool(stale: policy), new([Endpoint(0, 0, ageSeconds: 2.5)], null));

        Assert.Equal((expected, "stale_telemetry"), (verdict.Fit, verdict.Reason));
    }

    [Fact]
    public void Assess_NothingScrapedYet_Stale()
    {
        Assert.Equal("stale_telemetry", Assess(Pool(), PoolSamples.Unknown).Reason);
    }

    [Fact]
    public void Assess_EveryWatchedGpuUnhealthy_UnavailableWhateverTheEngineSays()
    {
        var samples = new PoolSamples([Endpoint(0, 0.1)], new PoolGpuState(4, 0, ["xid_79", "gpu_lost"], Now - TimeSpan.FromMilliseconds(300), null, null, false));

        var verdict = Assess(Pool(gpus: true), samples);

        Assert.Equal((PoolFit.Unavailable, "gpu_unhealthy", 0, 4), (verdict.Fit, verdict.Reason, verdict.HealthyGpus, verdict.Gpus));
    }

    [Fact]
    public void Assess_SomeGpusHealthy_JudgedOnTheEngine()
    {
        var samples = new PoolSamples([Endpoint(1, 0.1)], new PoolGpuState(4, 3, ["thermal_slowdown"], Now - TimeSpan.FromMilliseconds(300), null, null, false));

        var verdict = Assess(Pool(gpus: true), samples);

        Assert.Equal((PoolFit.Headroom, 3, 4), (verdict.Fit, verdict.HealthyGpus, verdict.Gpus));
    }

    [Fact]
    public void Assess_GpuUpdatesStale_StaleEvenWithFreshScrapes()
    {
        var samples = new PoolSamples([Endpoint(1, 0.1)], new PoolGpuState(4, 4, [], Now - TimeSpan.FromSeconds(10), null, null, false));

        Assert.Equal("stale_telemetry", Assess(Pool(gpus: true), samples).Reason);
    }

    [Fact]
    public void Assess_GpusOnlyAndHealthy_Headroom()
    {
        var samples = new PoolSamples(null, new PoolGpuState(2, 1, ["xid_48"], Now - TimeSpan.FromMilliseconds(100), null, null, false));

        var verdict = Assess(Pool(engine: false, gpus: true), samples);

        Assert.Equal((PoolFit.Headroom, "headroom", 1), (verdict.Fit, verdict.Reason, verdict.HealthyGpus));
    }
}
