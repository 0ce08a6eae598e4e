using AiSidecar.GpuAgent.Api.V1;

namespace AiSidecar.GpuAgent.PodResources;

/// <summary>The latest device-UUID-to-pods map from the kubelet, swapped atomically by the refresher.</summary>
internal sealed class PodDeviceMap
{
    private volatile IReadOnlyDictionary<string, PodRef[]> _byUuid = new Dictionary<string, PodRef[]>();
    private volatile bool _available;

    /// <summary>True while the last kubelet call succeeded.</summary>
    public bool Available => _available;

    /// <summary>Pods using a GPU or MIG device, by UUID; empty when unknown.</summary>
    public IReadOnlyList<PodRef> Lookup(string uuid) =>
        uuid.Length > 0 && _byUuid.TryGetValue(uuid, out var pods) ? pods : [];

    public void Update(IReadOnlyDictionary<string, PodRef[]> byUuid)
    {
        _byUuid = byUuid;
        _available = true;
    }

    /// <summary>Drops all pod labels (socket absent or kubelet unreachable).</summary>
    public void MarkUnavailable()
    {
        _byUuid = new Dictionary<string, PodRef[]>();
        _available = false;
    }
}
