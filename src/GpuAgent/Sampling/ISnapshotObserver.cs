using AiSidecar.GpuAgent.Api.V1;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Told about every published snapshot (metrics, health); must return quickly and never throw.</summary>
internal interface ISnapshotObserver
{
    void OnSnapshot(NodeSnapshot snapshot);
}
