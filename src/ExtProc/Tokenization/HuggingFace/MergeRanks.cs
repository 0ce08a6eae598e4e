namespace AiSidecar.ExtProc.Tokenization.HuggingFace;

/// <summary>Hugging Face BPE's merge order: the rank of a symbol pair in <c>merges</c> (the last entry wins on duplicates).</summary>
internal readonly struct MergeRanks(Dictionary<long, (int Rank, int Merged)> pairs, int[] byteSymbols) : HeapBpe.IRanks
{
    public int ByteSymbol(byte b) => byteSymbols[b];

    public bool TryMerge(int left, int right, byte[] bytes, int start, int length, out int rank, out int merged)
    {
        var found = pairs.TryGetValue(Key(left, right), out var entry);
        (rank, merged) = entry;
        return found;
    }

    public static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>A new pair table: <c>long</c>'s own hash (high ^ low half) collides for most symbol pairs.</summary>
    public static Dictionary<long, (int Rank, int Merged)> NewTable(int capacity) => new(capacity, MixingComparer.Instance);

    /// <summary>A comparer for symbol-pair keys (<see cref="Key"/>) that spreads them over a hash table.</summary>
    public static IEqualityComparer<long> PairComparer => MixingComparer.Instance;

    private sealed class MixingComparer : IEqualityComparer<long>
    {
        public static readonly MixingComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long obj) => (int)((ulong)(obj * unchecked((long)0x9E3779B97F4A7C15)) >> 32);
    }
}
