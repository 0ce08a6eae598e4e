using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace AiSidecar.ExtProc.Tests.Telemetry;

/// <summary>An in-process span processor: every span that ends, in the order they end.</summary>
internal sealed class EndedSpans : BaseProcessor<Activity>, IEnumerable<Activity>
{
    private readonly ConcurrentQueue<Activity> _ended = new();

    public override void OnEnd(Activity data) => _ended.Enqueue(data);

    public IEnumerator<Activity> GetEnumerator() => _ended.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
