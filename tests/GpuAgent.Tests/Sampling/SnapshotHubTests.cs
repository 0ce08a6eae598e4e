using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Sampling;

namespace AiSidecar.GpuAgent.Tests.Sampling;

public sealed class SnapshotHubTests
{
    [Fact]
    public void Publish_SubscriberNeverReads_HoldsOnlyLatestSnapshot()
    {
        var hub = new SnapshotHub([]);
        using var slow = hub.Subscribe();

        for (ulong i = 1; i <= 1000; i++)
        {
            hub.Publish(new NodeSnapshot { Sequence = i });
        }

        Assert.Equal(1, slow.Reader.Count);
        Assert.True(slow.Reader.TryRead(out var only));
        Assert.Equal(1000ul, only.Sequence);
    }

    [Fact]
    public void Publish_ManySubscribers_AllShareOneInstance()
    {
        var hub = new SnapshotHub([]);
        var subscriptions = Enumerable.Range(0, 100).Select(_ => hub.Subscribe()).ToList();
        var snapshot = new NodeSnapshot { Sequence = 7 };

        hub.Publish(snapshot);

        Assert.All(subscriptions, s => Assert.Same(snapshot, s.Reader.TryRead(out var got) ? got : null));
        subscriptions.ForEach(s => s.Dispose());
    }

    [Fact]
    public void Subscribe_Disposed_RemovesSubscriber()
    {
        var hub = new SnapshotHub([]);
        var subscription = hub.Subscribe();
        Assert.Equal(1, hub.SubscriberCount);

        subscription.Dispose();

        Assert.Equal(0, hub.SubscriberCount);
    }

    [Fact]
    public void Publish_WithObserver_SetsLatestAndNotifiesObserver()
    {
        var observer = new RecordingObserver();
        var hub = new SnapshotHub([observer]);
        var snapshot = new NodeSnapshot { Sequence = 3 };

        hub.Publish(snapshot);

        Assert.Same(snapshot, hub.Latest);
        Assert.Same(snapshot, Assert.Single(observer.Seen));
    }

    private sealed class RecordingObserver : ISnapshotObserver
    {
        public List<NodeSnapshot> Seen { get; } = [];

        public void OnSnapshot(NodeSnapshot snapshot) => Seen.Add(snapshot);
    }
}
