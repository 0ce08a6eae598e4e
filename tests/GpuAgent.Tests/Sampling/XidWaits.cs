using AiSidecar.GpuAgent.Sampling;

namespace AiSidecar.GpuAgent.Tests.Sampling;

/// <summary>Polls the tracker until the XID thread has recorded something for each GPU index (at most 5 s).</summary>
internal static class XidWaits
{
    public static async Task ForDevicesAsync(XidTracker tracker, params uint[] indexes)
    {
        for (var i = 0; i < 200 && !indexes.All(index => tracker.ForDevice(index).Count > 0); i++)
        {
            await Task.Delay(25);
        }
    }
}
