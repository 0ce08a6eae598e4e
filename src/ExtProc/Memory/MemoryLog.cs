namespace AiSidecar.ExtProc.Memory;

/// <summary>Log messages of the memory bounds.</summary>
internal static partial class MemoryLog
{
    [LoggerMessage(1, LogLevel.Debug, "Heap compacted after a burst of large bodies: {BeforeMiB} MiB committed before, {AfterMiB} MiB after; {LiveMiB} MiB live, {PinnedMiB} MiB of it pinned (Kestrel's receive buffers).", EventName = "HeapCompacted")]
    public static partial void Compacted(ILogger logger, long beforeMiB, long afterMiB, long liveMiB, long pinnedMiB);
}
