using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Thread-safe record of XID events per GPU index and MIG instance, written by the watcher and read by the sampler.</summary>
internal sealed class XidTracker
{
    private readonly ConcurrentDictionary<XidKey, XidState> _byKey = new();
    private readonly TimeProvider _time;
    private readonly IReadOnlySet<ulong> _ignored;
    private readonly TimeSpan _holdTime;

    public XidTracker(TimeProvider time, IOptions<XidOptions> options)
    {
        _time = time;
        _ignored = options.Value.ParseIgnoredXids();
        _holdTime = options.Value.HoldTime;
    }

    /// <summary>Records one XID; returns true when it is critical (not an application XID).</summary>
    public bool Record(XidKey key, ulong xid)
    {
        var now = _time.GetUtcNow();
        var critical = !_ignored.Contains(xid);
        _byKey.AddOrUpdate(
            key,
            _ => critical ? new XidState(xid, 1, now, now, xid) : new XidState(xid, 1, now, null, 0),
            (_, old) => critical
                ? new XidState(xid, old.Count + 1, now, now, xid)
                : old with { LastXid = xid, Count = old.Count + 1, LastAt = now });
        return critical;
    }

    /// <summary>Everything recorded for one GPU: the GPU-wide entry and one per MIG instance, in a stable order.</summary>
    public IReadOnlyList<KeyValuePair<XidKey, XidState>> ForDevice(uint index) =>
        _byKey.Where(e => e.Key.DeviceIndex == index)
            .OrderBy(e => e.Key.IsMigInstance).ThenBy(e => e.Key.GpuInstanceId).ThenBy(e => e.Key.ComputeInstanceId)
            .ToList();

    /// <summary>True while a critical XID is within the hold time.</summary>
    public bool IsCriticalActive(XidState state) =>
        state.LastCriticalAt is { } at && (_holdTime == TimeSpan.Zero || _time.GetUtcNow() - at < _holdTime);
}
