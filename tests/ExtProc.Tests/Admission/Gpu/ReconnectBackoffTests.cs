using AiSidecar.ExtProc.Admission.Gpu;

namespace AiSidecar.ExtProc.Tests.Admission.Gpu;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Ceiling_Failures_DoublesUpToTheMaximum()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10), new Random(1));

        Assert.Equal([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000],
            Enumerable.Range(0, 8).Select(f => backoff.Ceiling(f).TotalMilliseconds));
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Ceiling(int.MaxValue));
    }

    [Fact]
    public void Delay_Failures_DrawnFromTheUpperHalfOfTheCeiling()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10), new Random(7));

        for (var failures = 0; failures < 10; failures++)
        {
            var delays = Enumerable.Range(0, 200).Select(_ => backoff.Delay(failures)).ToList();
            var ceiling = backoff.Ceiling(failures);
            Assert.All(delays, d => Assert.InRange(d, ceiling / 2, ceiling));
            Assert.True(delays.Distinct().Count() > 100, "jittered");
        }
    }
}
