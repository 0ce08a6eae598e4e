namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// The outcome of recently looked-up merges of symbol pairs, for rank sources whose lookup hashes the merged bytes
/// (tiktoken): a direct-mapped table of 65,536 entries (512 KB), each a left id, a right id and the rank + 1 (0: no
/// merge) packed into one 64-bit word. One word is read and written atomically, so threads share the table without
/// locks: a race only replaces an entry. Natural text repeats its pairs (the bytes of a CJK character, common
/// syllables), so most lookups of words that miss the word cache are answered here.
/// </summary>
internal sealed class RecentMerges
{
    private const int Bits = 20;
    private const long Mask = (1L << Bits) - 1;
    private const long Valid = long.MinValue;

    private readonly long[] _entries = new long[1 << 16];

    /// <summary>Whether ids and ranks up to <paramref name="maxId"/> fit an entry.</summary>
    public static bool Fits(int maxId) => maxId < Mask;

    /// <summary>The remembered rank of merging <paramref name="left"/> and <paramref name="right"/> (-1: they do not merge).</summary>
    public bool TryGet(int left, int right, out int rank)
    {
        var entry = Volatile.Read(ref _entries[Slot(left, right)]);
        if (entry < 0 && ((entry >> (2 * Bits)) & Mask) == left && ((entry >> Bits) & Mask) == right)
        {
            rank = (int)(entry & Mask) - 1;
            return true;
        }

        rank = 0;
        return false;
    }

    /// <summary>Remembers the rank of merging <paramref name="left"/> and <paramref name="right"/> (-1: they do not merge).</summary>
    public void Set(int left, int right, int rank) =>
        Volatile.Write(ref _entries[Slot(left, right)], Valid | ((long)left << (2 * Bits)) | ((long)right << Bits) | (rank + 1L));

    private static int Slot(int left, int right) => (int)(((uint)left * 0x9E3779B1u) ^ ((uint)right * 0x85EBCA77u)) >>> 16;
}
