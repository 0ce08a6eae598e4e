using System.Collections.Concurrent;
using System.Threading.Channels;
using AiSidecar.GpuAgent.Api.V1;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Holds the latest node snapshot and fans it out to Watch subscribers.</summary>
/// <remarks>
/// Each subscriber has a one-slot channel that drops the older snapshot, so a slow reader never blocks a publish,
/// never delays other subscribers and holds at most one pending snapshot. All subscribers share the same instance;
/// published snapshots are never mutated.
/// </remarks>
internal sealed class SnapshotHub
{
    private static readonly BoundedChannelOptions SubscriberChannel = new(1)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
        SingleWriter = false,
    };

    private readonly ConcurrentDictionary<long, Channel<NodeSnapshot>> _subscribers = new();
    private readonly IEnumerable<ISnapshotObserver> _observers;
    private long _nextId;
    private volatile NodeSnapshot _latest = new();

    public SnapshotHub(IEnumerable<ISnapshotObserver> observers)
    {
        _observers = observers;
    }

    /// <summary>The latest snapshot; sequence 0 and no devices before the first sample.</summary>
    public NodeSnapshot Latest => _latest;

    public int SubscriberCount => _subscribers.Count;

    public void Publish(NodeSnapshot snapshot)
    {
        _latest = snapshot;
        foreach (var observer in _observers)
        {
            observer.OnSnapshot(snapshot);
        }

        foreach (var channel in _subscribers.Values)
        {
            channel.Writer.TryWrite(snapshot);
        }
    }

    /// <summary>Registers a subscriber; dispose the result to unregister.</summary>
    public SnapshotSubscription Subscribe()
    {
        var id = Interlocked.Increment(ref _nextId);
        var channel = Channel.CreateBounded<NodeSnapshot>(SubscriberChannel);
        _subscribers[id] = channel;
        return new SnapshotSubscription(channel.Reader, () => _subscribers.TryRemove(id, out _));
    }
}
