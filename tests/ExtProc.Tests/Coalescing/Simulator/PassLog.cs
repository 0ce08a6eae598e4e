using AiSidecar.EngineSimulator.Gpu;

namespace AiSidecar.ExtProc.Tests.Coalescing.Simulator;

/// <summary>The GPU passes a scheduler reports, and a wait for the n-th: a test advances the fake clock once it is scheduled.</summary>
internal sealed class PassLog
{
    /// <summary>How long a test waits for a pass: a guard, never reached by a passing test.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private readonly Lock _gate = new();
    private readonly List<GpuPass> _passes = [];
    private readonly List<(int Count, TaskCompletionSource<GpuPass[]> Reached)> _waiters = [];

    public void Record(GpuPass pass)
    {
        lock (_gate)
        {
            _passes.Add(pass);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_passes.Count >= _waiters[i].Count)
                {
                    _waiters[i].Reached.TrySetResult([.. _passes]);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Every pass so far, once there are at least <paramref name="count"/>.</summary>
    public Task<GpuPass[]> WaitForAsync(int count)
    {
        lock (_gate)
        {
            if (_passes.Count >= count)
            {
                return Task.FromResult<GpuPass[]>([.. _passes]);
            }

            var reached = new TaskCompletionSource<GpuPass[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(Guard);
        }
    }
}
