using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Memory;

/// <summary>
/// Gives memory back after a burst of large bodies. The GC only runs when something allocates, so an idle server
/// would keep the heap a burst grew (hundreds of MB) for good. Once large bodies have gone through, none has been in
/// the stages for a full <see cref="QuietPeriod"/>, and the heap still has more than <c>memory.compactAboveBytes</c>
/// committed, it runs one full, compacting, aggressive collection, which returns the free memory to the operating
/// system. Once per burst; off when the setting is 0.
/// </summary>
internal sealed class BurstCompactor(BodyBudget budget, IOptions<MemoryOptions> options, IHeapCompaction heap, TimeProvider time, ILogger<BurstCompactor> logger)
    : BackgroundService
{
    /// <summary>How long the budget must stay idle before the heap is looked at.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(5);

    private readonly long _threshold = options.Value.CompactAboveBytes;
    private long _handledUpTo;
    private bool _idleLastTick;

    /// <summary>One check: after a burst, once the budget was idle on this tick and the last, compacts when the heap holds more than the threshold.</summary>
    internal void Tick()
    {
        var idle = budget.InFlight == 0 && budget.Queued == 0;
        var admitted = budget.AdmittedTotal;
        if (idle && _idleLastTick && admitted != _handledUpTo)
        {
            _handledUpTo = admitted;
            var before = heap.CommittedBytes;
            if (before > _threshold)
            {
                heap.Compact();
                var after = GC.GetGCMemoryInfo(GCKind.FullBlocking);
                MemoryLog.Compacted(logger, before >> 20, heap.CommittedBytes >> 20, after.HeapSizeBytes >> 20, after.GenerationInfo[4].SizeAfterBytes >> 20);
            }
        }

        _idleLastTick = idle;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_threshold <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(QuietPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Tick();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }
}
