using AiSidecar.ExtProc.Memory;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Tests.Memory;

/// <summary>The heap is compacted once after a burst of large bodies, only when idle and only above the threshold.</summary>
public sealed class BurstCompactorTests : IDisposable
{
    private readonly ServiceProvider _provider = new ServiceCollection().AddLogging().AddExtProcTelemetry(new TelemetryOptions()).BuildServiceProvider();
    private readonly FakeHeap _heap = new();
    private readonly BodyBudget _budget;
    private readonly BurstCompactor _compactor;

    public BurstCompactorTests()
    {
        var options = Options.Create(new MemoryOptions { BodyBytesInFlight = 100 << 20, CompactAboveBytes = 256 << 20 });
        _budget = new BodyBudget(options, _provider.GetRequiredService<ExtProcMetrics>());
        _compactor = new BurstCompactor(_budget, options, _heap, TimeProvider.System, NullLogger<BurstCompactor>.Instance);
    }

    public void Dispose()
    {
        _compactor.Dispose();
        _provider.Dispose();
    }

    private async Task BodyGoesThroughAsync()
    {
        await using var slot = _budget.TryEnter(8 << 20);
        Assert.NotNull(slot);
    }

    [Fact]
    public async Task Tick_BurstThenIdleForTwoTicksAboveTheThreshold_CompactsOnce()
    {
        await BodyGoesThroughAsync();
        _heap.Committed = 600L << 20;

        _compactor.Tick();
        Assert.Equal(0, _heap.Compactions);
        _compactor.Tick();
        _compactor.Tick();
        _compactor.Tick();

        Assert.Equal(1, _heap.Compactions);
    }

    [Fact]
    public async Task Tick_WhileABodyIsInTheStages_WaitsUntilIdle()
    {
        await BodyGoesThroughAsync();
        _heap.Committed = 600L << 20;
        var slot = _budget.TryEnter(8 << 20)!;

        _compactor.Tick();
        _compactor.Tick();
        Assert.Equal(0, _heap.Compactions);
        await slot.DisposeAsync();
        _compactor.Tick();
        _compactor.Tick();

        Assert.Equal(1, _heap.Compactions);
    }

    [Fact]
    public async Task Tick_HeapBelowTheThreshold_LeavesItAndForgetsThatBurst()
    {
        await BodyGoesThroughAsync();
        _heap.Committed = 200L << 20;
        _compactor.Tick();
        _compactor.Tick();

        // Growth from small requests alone, with no large body since, is the GC's own business.
        _heap.Committed = 600L << 20;
        _compactor.Tick();
        _compactor.Tick();

        Assert.Equal(0, _heap.Compactions);
    }

    [Fact]
    public void Tick_NoLargeBodyEver_NeverCompacts()
    {
        _heap.Committed = 600L << 20;

        _compactor.Tick();
        _compactor.Tick();

        Assert.Equal(0, _heap.Compactions);
    }

    private sealed class FakeHeap : IHeapCompaction
    {
        public long Committed { get; set; }

        public int Compactions { get; private set; }

        public long CommittedBytes => Committed;

        public void Compact()
        {
            Compactions++;
            Committed = 100L << 20;
        }
    }
}
