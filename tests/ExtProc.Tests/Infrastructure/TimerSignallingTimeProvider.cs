using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that says when a timer is set to a given due time, so a test advances the clock
/// only once the code under test is waiting on it (explicit synchronization instead of sleeping).
/// </summary>
internal sealed class TimerSignallingTimeProvider(TimeSpan watchedDueTime) : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _set = Channel.CreateUnbounded<TimeSpan>();

    private TimeSpan WatchedDueTime => watchedDueTime;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(base.CreateTimer(callback, state, dueTime, period), this);
        timer.Signal(dueTime);
        return timer;
    }

    /// <summary>Waits until some timer is set to the watched due time (30 s at most, so a broken server fails the test instead of hanging it).</summary>
    public async Task WaitForTimerAsync()
    {
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _set.Reader.ReadAsync(safety.Token);
    }

    private sealed class Timer(ITimer inner, TimerSignallingTimeProvider provider) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            Signal(dueTime);
            return changed;
        }

        public void Signal(TimeSpan dueTime)
        {
            if (dueTime == provider.WatchedDueTime)
            {
                provider._set.Writer.TryWrite(dueTime);
            }
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
