using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Tests.Pipeline;

/// <summary>A request stage a test scripts: what it does runs at <see cref="Order"/>, and it counts its calls.</summary>
internal sealed class ScriptedStage(int order, Func<Exchange, ValueTask<StageResult>> run, string name = "scripted") : IRequestStage
{
    private int _calls;

    public int Order => order;

    public string Name => name;

    public int Calls => Volatile.Read(ref _calls);

    public ValueTask<StageResult> ProcessAsync(Exchange exchange)
    {
        Interlocked.Increment(ref _calls);
        return run(exchange);
    }
}

/// <summary>A lease that counts its releases.</summary>
internal sealed class CountingLease(Action? onRelease = null) : IAsyncDisposable
{
    private int _released;

    public int Released => Volatile.Read(ref _released);

    public ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref _released);
        onRelease?.Invoke();
        return ValueTask.CompletedTask;
    }
}
