using AiSidecar.ExtProc.Memory;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Tests.Memory;

/// <summary>The byte budget itself: whole bodies in, first come first served, a bounded line.</summary>
public sealed class BodyBudgetTests : IDisposable
{
    private readonly ServiceProvider _provider = new ServiceCollection().AddLogging().AddExtProcTelemetry(new TelemetryOptions()).BuildServiceProvider();

    private BodyBudget Budget(long inFlight, long queued) =>
        new(Options.Create(new MemoryOptions { BodyBytesInFlight = inFlight, QueuedBodyBytes = queued }), _provider.GetRequiredService<ExtProcMetrics>());

    public void Dispose() => _provider.Dispose();

    [Fact]
    public async Task TryEnter_UntilFull_LetsWholeBodiesInThenRefuses()
    {
        var budget = Budget(inFlight: 100, queued: 0);

        var first = budget.TryEnter(60);
        var second = budget.TryEnter(50);

        Assert.NotNull(first);
        Assert.Null(second);
        await first!.DisposeAsync();
        Assert.NotNull(budget.TryEnter(100));
    }

    [Fact]
    public async Task EnterAsync_Full_WaitsInLineAndEntersInOrderWhenRoomIsGivenBack()
    {
        var budget = Budget(inFlight: 100, queued: 1000);
        var holder = budget.TryEnter(100)!;

        var big = budget.EnterAsync(80, CancellationToken.None).AsTask();
        var small = budget.EnterAsync(10, CancellationToken.None).AsTask();

        Assert.False(big.IsCompleted);
        Assert.False(small.IsCompleted);  // first come, first served: not ahead of the big one although it would fit later
        Assert.Equal(90, budget.Queued);
        await holder.DisposeAsync();

        Assert.NotNull(await big);
        Assert.NotNull(await small);
        Assert.Equal(90, budget.InFlight);
        Assert.Equal(0, budget.Queued);
    }

    [Fact]
    public async Task EnterAsync_LineFull_RefusesAtOnce()
    {
        var budget = Budget(inFlight: 100, queued: 50);
        var holder = budget.TryEnter(100)!;
        var waiting = budget.EnterAsync(40, CancellationToken.None).AsTask();

        var refused = await budget.EnterAsync(20, CancellationToken.None);

        Assert.Null(refused);
        Assert.Equal(40, budget.Queued);
        await holder.DisposeAsync();
        Assert.NotNull(await waiting);
    }

    [Fact]
    public async Task EnterAsync_CancelledFirstInLine_LeavesTheLineAndTheNextEnters()
    {
        var budget = Budget(inFlight: 100, queued: 1000);
        var holder = budget.TryEnter(60)!;
        using var giveUp = new CancellationTokenSource();
        var big = budget.EnterAsync(80, giveUp.Token).AsTask();
        var small = budget.EnterAsync(30, CancellationToken.None).AsTask();

        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => big);
        Assert.NotNull(await small);
        Assert.Equal(90, budget.InFlight);
        Assert.Equal(0, budget.Queued);
        await holder.DisposeAsync();
    }

    [Fact]
    public async Task Slot_DisposedTwice_GivesItsBytesBackOnce()
    {
        var budget = Budget(inFlight: 100, queued: 0);
        var slot = budget.TryEnter(70)!;
        var other = budget.TryEnter(30)!;

        await slot.DisposeAsync();
        await slot.DisposeAsync();

        Assert.Equal(30, budget.InFlight);
        await other.DisposeAsync();
    }
}
