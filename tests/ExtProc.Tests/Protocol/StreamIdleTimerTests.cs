using AiSidecar.ExtProc.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Protocol;

public sealed class StreamIdleTimerTests
{
    [Fact]
    public void Arm_NoMessageWithinTheTimeout_CancelsTheToken()
    {
        var time = new FakeTimeProvider();
        using var timer = StreamIdleTimer.Start(TimeSpan.FromSeconds(10), time, CancellationToken.None);

        timer.Arm();
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(timer.Expired);
        Assert.True(timer.Token.IsCancellationRequested);
    }

    [Fact]
    public void Disarm_WhileAMessageIsHandled_TheTimerDoesNotRun()
    {
        var time = new FakeTimeProvider();
        using var timer = StreamIdleTimer.Start(TimeSpan.FromSeconds(10), time, CancellationToken.None);

        timer.Arm();
        time.Advance(TimeSpan.FromSeconds(9));
        timer.Disarm();
        time.Advance(TimeSpan.FromHours(1));
        timer.Arm();
        time.Advance(TimeSpan.FromSeconds(9));

        Assert.False(timer.Expired);
        Assert.False(timer.Token.IsCancellationRequested);
    }

    [Fact]
    public void Start_ZeroTimeout_IsOffAndFollowsTheCall()
    {
        using var call = new CancellationTokenSource();
        using var timer = StreamIdleTimer.Start(TimeSpan.Zero, new FakeTimeProvider(), call.Token);

        timer.Arm();
        call.Cancel();

        Assert.False(timer.Expired);
        Assert.Equal(call.Token, timer.Token);
    }
}
