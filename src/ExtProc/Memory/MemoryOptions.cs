using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Memory;

/// <summary>
/// Options of the <c>memory</c> section: how much request-body work the server takes on at once, so that a burst of
/// large bodies waits or is shed (503) instead of running the process out of memory. Read at start.
/// </summary>
internal sealed class MemoryOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "memory";

    /// <summary>Bodies of at least this many bytes count against the budgets below; smaller ones never wait. Default 64 KiB.</summary>
    [Range(0, 1L << 30)]
    public long LargeBodyBytes { get; set; } = 64 << 10;

    /// <summary>
    /// Total size of the large bodies the request stages work on at once (parsing, counting: several times the body
    /// in transient memory each). Must be at least <c>processing.maxBodyBytes</c>. Default 8 MiB: one body of the
    /// largest size at a time (or several smaller ones), which keeps a 1 GiB pod clear of its limit and leaves the
    /// other CPU of the shipped two to the small requests.
    /// </summary>
    [Range(1, 1L << 34)]
    public long BodyBytesInFlight { get; set; } = 8L << 20;

    /// <summary>
    /// Total size of the large bodies allowed to wait for room in <see cref="BodyBytesInFlight"/>, each for at most the
    /// hold budget (90 % of <c>processing.messageTimeoutMs</c>); a body that does not fit the queue, or waits too
    /// long, gets 503 with <c>retry-after</c>. 0 sheds at once. Default 64 MiB.
    /// </summary>
    [Range(0, 1L << 34)]
    public long QueuedBodyBytes { get; set; } = 64L << 20;

    /// <summary>
    /// When large bodies have gone through and none has been in the stages for 5 s, and the managed heap still has
    /// more than this committed, the server compacts the heap once and returns its free memory to the operating system
    /// (the GC runs only when something allocates, so an idle server would keep what a burst grew). 0 turns it off.
    /// Default 256 MiB.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long CompactAboveBytes { get; set; } = 256L << 20;

    /// <summary>The <c>retry-after</c> (seconds) of a 503 for a shed body. Default 1.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 1;
}
