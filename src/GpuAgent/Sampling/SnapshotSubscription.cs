using System.Threading.Channels;
using AiSidecar.GpuAgent.Api.V1;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>One Watch subscriber's view of the hub: the newest snapshot not yet read.</summary>
internal sealed class SnapshotSubscription(ChannelReader<NodeSnapshot> reader, Action unsubscribe) : IDisposable
{
    public ChannelReader<NodeSnapshot> Reader { get; } = reader;

    public void Dispose() => unsubscribe();
}
