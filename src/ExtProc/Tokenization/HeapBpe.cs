using System.Buffers;
using System.Text;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// Byte-pair merging of one pre-token in O(n log n): a heap of candidate pairs ordered by (rank, position), as the
/// references choose them (lowest rank, leftmost on ties). Microsoft.ML.Tokenizers' merge loops give the same
/// tokens (the tests use them as an oracle) but are quadratic, so a 200 KB run of letters took seconds of CPU, and
/// its tokenizers hold 36-63 MB per model against a few MB for the rank tables here.
/// </summary>
internal static class HeapBpe
{
    /// <summary>Pieces longer than this many UTF-16 units are what the tests call long.</summary>
    public const int Threshold = 256;

    /// <summary>A rank source: the rank of a merge of two adjacent symbols, or null when they do not merge.</summary>
    public interface IRanks
    {
        /// <summary>The initial symbol of a byte.</summary>
        int ByteSymbol(byte b);

        /// <summary>The rank and resulting symbol of merging two adjacent symbols spanning the given bytes.</summary>
        bool TryMerge(int left, int right, byte[] bytes, int start, int length, out int rank, out int merged);
    }

    public static int Count<TRanks>(ReadOnlySpan<char> piece, TRanks ranks, List<int>? ids)
        where TRanks : IRanks
    {
        var length = Encoding.UTF8.GetByteCount(piece);
        if (length == 1 && ids is null)
        {
            return 1;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(length);
        var symbol = ArrayPool<int>.Shared.Rent(length);
        try
        {
            Encoding.UTF8.GetBytes(piece, bytes);
            for (var i = 0; i < length; i++)
            {
                symbol[i] = ranks.ByteSymbol(bytes[i]);
            }

            return Merge(bytes, symbol, length, ranks, ids);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<int>.Shared.Return(symbol);
        }
    }

    /// <summary>
    /// Merges <paramref name="length"/> initial symbols; <paramref name="bytes"/> holds one byte per symbol for rank
    /// sources that look merged bytes up (tiktoken), anything for those that look symbol pairs up.
    /// </summary>
    public static int Merge<TRanks>(byte[] bytes, int[] symbol, int length, TRanks ranks, List<int>? ids)
        where TRanks : IRanks
    {
        var next = ArrayPool<int>.Shared.Rent(length);
        var prev = ArrayPool<int>.Shared.Rent(length);
        try
        {
            var heap = new PriorityQueue<Candidate, long>(length);
            for (var i = 0; i < length; i++)
            {
                next[i] = i + 1;
                prev[i] = i - 1;
            }

            for (var i = 0; i + 1 < length; i++)
            {
                Push(heap, ranks, bytes, symbol, next, i, i + 1, length);
            }

            var count = length;
            while (heap.TryDequeue(out var c, out _))
            {
                var right = c.Right;
                if (symbol[c.Left] != c.LeftSymbol || next[c.Left] != right || right >= length || symbol[right] != c.RightSymbol || next[right] != c.RightEnd)
                {
                    continue;
                }

                symbol[c.Left] = c.Merged;
                symbol[right] = -1;
                next[c.Left] = next[right];
                if (next[right] < length)
                {
                    prev[next[right]] = c.Left;
                }

                count--;
                if (prev[c.Left] >= 0)
                {
                    Push(heap, ranks, bytes, symbol, next, prev[c.Left], c.Left, length);
                }

                if (next[c.Left] < length)
                {
                    Push(heap, ranks, bytes, symbol, next, c.Left, next[c.Left], length);
                }
            }

            if (ids is not null)
            {
                for (var i = 0; i < length; i = next[i])
                {
                    ids.Add(symbol[i]);
                }
            }

            return count;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(next);
            ArrayPool<int>.Shared.Return(prev);
        }
    }

    private static void Push<TRanks>(PriorityQueue<Candidate, long> heap, TRanks ranks, byte[] bytes, int[] symbol, int[] next, int left, int right, int length)
        where TRanks : IRanks
    {
        var end = next[right];
        if (ranks.TryMerge(symbol[left], symbol[right], bytes, left, Math.Min(end, length) - left, out var rank, out var merged))
        {
            // Lowest rank first, then leftmost: one long compares faster than a tuple.
            heap.Enqueue(new Candidate(left, right, symbol[left], symbol[right], end, merged), ((long)rank << 32) | (uint)left);
        }
    }

    private readonly record struct Candidate(int Left, int Right, int LeftSymbol, int RightSymbol, int RightEnd, int Merged);
}
