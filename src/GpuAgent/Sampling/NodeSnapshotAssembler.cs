using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Hosting;
using AiSidecar.GpuAgent.PodResources;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Turns one sample's devices into a node snapshot: node identity, pods, sequence and content version.</summary>
/// <remarks>Called only from the sampling loop, so its counters need no locking.</remarks>
internal sealed class NodeSnapshotAssembler(TimeProvider time, IOptions<AgentOptions> options, PodDeviceMap pods)
{
    private ulong _sequence;
    private ulong _contentVersion;
    private NodeSnapshot? _previous;

    public NodeSnapshot Assemble(bool nvmlUp, string nvmlError, IEnumerable<GpuDevice> devices)
    {
        var snapshot = new NodeSnapshot
        {
            NodeName = options.Value.NodeName,
            SampledAt = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
            NvmlUp = nvmlUp,
            NvmlError = nvmlError,
            PodMappingAvailable = pods.Available,
        };
        snapshot.PoolLabels.Add(options.Value.PoolLabels);
        foreach (var device in devices)
        {
            JoinPods(device);
            snapshot.Devices.Add(device);
        }

        if (_previous is null || !SameContent(_previous, snapshot))
        {
            _contentVersion++;
        }

        snapshot.Sequence = ++_sequence;
        snapshot.ContentVersion = _contentVersion;
        _previous = snapshot;
        return snapshot;
    }

    private void JoinPods(GpuDevice device)
    {
        device.Pods.Add(pods.Lookup(device.Uuid));
        foreach (var mig in device.MigDevices)
        {
            mig.Pods.Add(pods.Lookup(mig.Uuid));
        }
    }

    private static bool SameContent(NodeSnapshot a, NodeSnapshot b) =>
        a.NvmlUp == b.NvmlUp
        && a.NvmlError == b.NvmlError
        && a.PodMappingAvailable == b.PodMappingAvailable
        && a.Devices.Equals(b.Devices);
}
