using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Memory;

/// <summary>
/// Bytes of large request bodies the stages work on at once (<c>memory.bodyBytesInFlight</c>), and a first-come,
/// first-served line of bodies waiting for room, itself bounded in bytes (<c>memory.queuedBodyBytes</c>). A body is
/// let in whole or not at all, and only in its turn, so a large body is never starved by smaller ones behind it.
/// </summary>
internal sealed class BodyBudget
{
    private readonly long _capacity;
    private readonly long _queueCapacity;
    private readonly ExtProcMetrics _metrics;
    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource> _line = new();
    private long _inFlight;
    private long _queued;
    private long _admittedTotal;

    public BodyBudget(IOptions<MemoryOptions> options, ExtProcMetrics metrics)
    {
        _capacity = options.Value.BodyBytesInFlight;
        _queueCapacity = options.Value.QueuedBodyBytes;
        _metrics = metrics;
    }

    /// <summary>Bytes let in now.</summary>
    public long InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Bytes let in since the start, in total.</summary>
    public long AdmittedTotal
    {
        get
        {
            lock (_gate)
            {
                return _admittedTotal;
            }
        }
    }

    /// <summary>Bytes waiting in line now.</summary>
    public long Queued
    {
        get
        {
            lock (_gate)
            {
                return _queued;
            }
        }
    }

    /// <summary>Lets <paramref name="bytes"/> in at once when they fit and nobody waits; null otherwise.</summary>
    public IAsyncDisposable? TryEnter(long bytes)
    {
        bytes = Math.Min(bytes, _capacity);
        lock (_gate)
        {
            if (_line.Count > 0 || _inFlight + bytes > _capacity)
            {
                return null;
            }

            _inFlight += bytes;
            _admittedTotal += bytes;
        }

        _metrics.BodyBytesInFlight(bytes);
        return new Slot(this, bytes);
    }

    /// <summary>
    /// Lets <paramref name="bytes"/> in, waiting in line when they do not fit; null at once when the line has no room
    /// for them. Cancelling leaves the line (<see cref="OperationCanceledException"/>).
    /// </summary>
    public async ValueTask<IAsyncDisposable?> EnterAsync(long bytes, CancellationToken cancellation)
    {
        if (TryEnter(bytes) is { } now)
        {
            return now;
        }

        bytes = Math.Min(bytes, _capacity);
        var turn = new TaskCompletionSource(bytes, TaskCreationOptions.RunContinuationsAsynchronously);
        LinkedListNode<TaskCompletionSource> place;
        lock (_gate)
        {
            if (_queued + bytes > _queueCapacity)
            {
                return null;
            }

            place = _line.AddLast(turn);
            _queued += bytes;
        }

        _metrics.BodyBytesQueued(bytes);
        try
        {
            await turn.Task.WaitAsync(cancellation).ConfigureAwait(false);
            return new Slot(this, bytes);
        }
        catch (OperationCanceledException)
        {
            bool admitted;
            lock (_gate)
            {
                admitted = place.List is null;
                if (!admitted)
                {
                    _line.Remove(place);
                    _queued -= bytes;
                }
            }

            if (admitted)
            {
                // Its turn came as it gave up: the bytes were taken for it.
                Release(bytes);
            }
            else
            {
                _metrics.BodyBytesQueued(-bytes);

                // It may have been first in line: whoever is next may fit now.
                Admit();
            }

            throw;
        }
    }

    private void Release(long bytes)
    {
        lock (_gate)
        {
            _inFlight -= bytes;
        }

        _metrics.BodyBytesInFlight(-bytes);
        Admit();
    }

    /// <summary>Lets in the waiting bodies that fit now, in their order; stops at the first that does not.</summary>
    private void Admit()
    {
        List<(TaskCompletionSource Turn, long Bytes)>? admitted = null;
        lock (_gate)
        {
            while (_line.First is { } first && _inFlight + (long)first.Value.Task.AsyncState! <= _capacity)
            {
                var bytes = (long)first.Value.Task.AsyncState!;
                _line.RemoveFirst();
                _queued -= bytes;
                _inFlight += bytes;
                _admittedTotal += bytes;
                (admitted ??= []).Add((first.Value, bytes));
            }
        }

        foreach (var (turn, bytes) in admitted ?? [])
        {
            _metrics.BodyBytesQueued(-bytes);
            _metrics.BodyBytesInFlight(bytes);
            turn.TrySetResult();
        }
    }

    /// <summary>Bytes let in; given back once, when disposed.</summary>
    private sealed class Slot(BodyBudget budget, long bytes) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                budget.Release(bytes);
            }

            return ValueTask.CompletedTask;
        }
    }
}
