using AiSidecar.GpuAgent.Sampling;
using AiSidecar.Testing;

namespace AiSidecar.GpuAgent.Tests.Sampling;

/// <summary>Waits until the XID thread has recorded something for each GPU index.</summary>
internal static class XidWaits
{
    public static Task ForDevicesAsync(XidTracker tracker, params uint[] indexes) =>
        Until.TrueAsync(() => indexes.All(index => tracker.ForDevice(index).Count > 0), $"XIDs recorded on GPUs {string.Join(", ", indexes)}");
}
