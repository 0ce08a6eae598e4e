using System.Runtime;

namespace AiSidecar.ExtProc.Memory;

/// <summary>The managed heap's committed memory, and a compaction that returns its free memory to the operating system.</summary>
internal interface IHeapCompaction
{
    /// <summary>Bytes the GC has committed now.</summary>
    long CommittedBytes { get; }

    void Compact();
}

/// <summary>The GC itself: a blocking, compacting, aggressive full collection, large object heap included.</summary>
internal sealed class GcHeapCompaction : IHeapCompaction
{
    public long CommittedBytes => GC.GetGCMemoryInfo().TotalCommittedBytes;

    public void Compact()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
