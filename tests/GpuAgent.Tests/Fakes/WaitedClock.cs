using Microsoft.Extensions.Time.Testing;

namespace AiSidecar.GpuAgent.Tests.Fakes;

/// <summary>
/// A fake clock that also tells a test when the code under test waits on it: a wait with a timeout
/// (<c>Task.WaitAsync(timeout, clock)</c>) holds a timer until it ends, so "n timers pending" means "n waits in progress"
/// and the test can advance the clock knowing the wait it means to time out has started.
/// </summary>
internal sealed class WaitedClock : FakeTimeProvider
{
    /// <summary>How long a test waits for the code under test to reach a wait: a guard, never reached by a passing test.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _pending;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Count(+1);
        return new PendingTimer(timer, this);
    }

    /// <summary>Completes once exactly <paramref name="count"/> timers are pending (created and not yet disposed).</summary>
    public Task WaitForPendingTimersAsync(int count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_pending == count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, reached));
        }

        return reached.Task.WaitAsync(Guard);
    }

    private void Count(int change)
    {
        lock (_gate)
        {
            _pending += change;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count == _pending)
                {
                    _waiters[i].Reached.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private sealed class PendingTimer(ITimer inner, WaitedClock clock) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                clock.Count(-1);
            }

            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
