using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AiSidecar.GpuAgent.Sampling;

/// <summary>Thread-safe record of XID events per GPU UUID, written by the watcher and read by the sampler.</summary>
internal sealed class XidTracker
{
    private readonly ConcurrentDictionary<string, XidState> _byUuid = new(StringComparer.Ordinal);
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
    public bool Record(string uuid, ulong xid)
    {
        var now = _time.GetUtcNow();
        var critical = !_ignored.Contains(xid);
        _byUuid.AddOrUpdate(
            uuid,
            _ => new XidState(xid, 1, now, critical ? now : null),
            (_, old) => new XidState(xid, old.Count + 1, now, critical ? now : old.LastCriticalAt));
        return critical;
    }

    public XidState? Get(string uuid) => _byUuid.TryGetValue(uuid, out var state) ? state : null;

    /// <summary>True while a critical XID is within the hold time.</summary>
    public bool IsCriticalActive(XidState state) =>
        state.LastCriticalAt is { } at && (_holdTime == TimeSpan.Zero || _time.GetUtcNow() - at < _holdTime);
}
