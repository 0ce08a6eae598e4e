using System.Buffers;
using System.Text;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// Byte-pair merging of one pre-token in O(n log n): a heap of the adjacent pairs that can merge, ordered by (rank,
/// position), as the references choose them (lowest rank, leftmost on ties). The heap is indexed by position, so it
/// holds exactly one entry per mergeable pair: a merge updates its neighbours' entries in place instead of leaving
/// stale ones behind, and the working memory is a fixed 29 bytes per byte of the piece, rented from the array pool.
/// Microsoft.ML.Tokenizers' merge loops give the same tokens (the tests use them as an oracle) but are quadratic.
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
        if (length < 2)
        {
            if (ids is not null && length == 1)
            {
                ids.Add(symbol[0]);
            }

            return length;
        }

        var next = ArrayPool<int>.Shared.Rent(length);
        var prev = ArrayPool<int>.Shared.Rent(length);
        var merged = ArrayPool<int>.Shared.Rent(length);
        var slot = ArrayPool<int>.Shared.Rent(length);
        var heap = ArrayPool<long>.Shared.Rent(length);
        try
        {
            var merger = new Merger<TRanks>(bytes, symbol, length, ranks, next, prev, merged, slot, heap);
            var count = merger.Run();
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
            ArrayPool<int>.Shared.Return(merged);
            ArrayPool<int>.Shared.Return(slot);
            ArrayPool<long>.Shared.Return(heap);
        }
    }

    /// <summary>
    /// The merge state: symbols as a linked list over their first byte's position, and a min-heap of keys
    /// <c>rank &lt;&lt; 32 | position</c>, one per symbol whose pair with the next symbol merges (<c>slot</c> maps a
    /// position to its heap index, or -1).
    /// </summary>
    private ref struct Merger<TRanks>
        where TRanks : IRanks
    {
        private readonly byte[] _bytes;
        private readonly Span<int> _symbol;
        private readonly int _length;
        private readonly TRanks _ranks;
        private readonly Span<int> _next;
        private readonly Span<int> _prev;
        private readonly Span<int> _merged;
        private readonly Span<int> _slot;
        private readonly Span<long> _heap;
        private int _size;

        public Merger(byte[] bytes, int[] symbol, int length, TRanks ranks, int[] next, int[] prev, int[] merged, int[] slot, long[] heap)
        {
            _bytes = bytes;
            _symbol = symbol.AsSpan(0, length);
            _length = length;
            _ranks = ranks;
            _next = next.AsSpan(0, length);
            _prev = prev.AsSpan(0, length);
            _merged = merged.AsSpan(0, length);
            _slot = slot.AsSpan(0, length);
            _heap = heap.AsSpan(0, length);
        }

        public int Run()
        {
            for (var i = 0; i < _length; i++)
            {
                _next[i] = i + 1;
                _prev[i] = i - 1;
            }

            for (var i = 0; i < _length; i++)
            {
                _slot[i] = -1;
                if (TryPair(i, out var key))
                {
                    _slot[i] = _size;
                    _heap[_size++] = key;
                }
            }

            for (var i = (_size / 2) - 1; i >= 0; i--)
            {
                SiftDown(i);
            }

            var count = _length;
            while (_size > 0)
            {
                var left = (int)(uint)_heap[0];
                var right = _next[left];
                Remove(right);
                _symbol[left] = _merged[left];
                _symbol[right] = -1;
                _next[left] = _next[right];
                if (_next[right] < _length)
                {
                    _prev[_next[right]] = left;
                }

                count--;
                Update(left);
                if (_prev[left] >= 0)
                {
                    Update(_prev[left]);
                }
            }

            return count;
        }

        /// <summary>The key of the pair starting at symbol <paramref name="left"/>, when it merges.</summary>
        private readonly bool TryPair(int left, out long key)
        {
            var right = _next[left];
            if (right < _length && _ranks.TryMerge(_symbol[left], _symbol[right], _bytes, left, _next[right] - left, out var rank, out var merged))
            {
                _merged[left] = merged;
                key = ((long)rank << 32) | (uint)left;
                return true;
            }

            key = 0;
            return false;
        }

        /// <summary>Recomputes the entry of the pair starting at <paramref name="left"/> after a neighbour changed.</summary>
        private void Update(int left)
        {
            if (!TryPair(left, out var key))
            {
                Remove(left);
                return;
            }

            var at = _slot[left];
            if (at < 0)
            {
                at = _size++;
                _heap[at] = key;
                _slot[left] = at;
                SiftUp(at);
                return;
            }

            var old = _heap[at];
            _heap[at] = key;
            if (key < old)
            {
                SiftUp(at);
            }
            else
            {
                SiftDown(at);
            }
        }

        private void Remove(int position)
        {
            var at = _slot[position];
            if (at < 0)
            {
                return;
            }

            _slot[position] = -1;
            var last = _heap[--_size];
            if (at == _size)
            {
                return;
            }

            var old = _heap[at];
            _heap[at] = last;
            _slot[(int)(uint)last] = at;
            if (last < old)
            {
                SiftUp(at);
            }
            else
            {
                SiftDown(at);
            }
        }

        private void SiftUp(int at)
        {
            var key = _heap[at];
            while (at > 0)
            {
                var parent = (at - 1) / 2;
                if (_heap[parent] <= key)
                {
                    break;
                }

                Place(at, _heap[parent]);
                at = parent;
            }

            Place(at, key);
        }

        private void SiftDown(int at)
        {
            var key = _heap[at];
            while (true)
            {
                var child = (2 * at) + 1;
                if (child >= _size)
                {
                    break;
                }

                if (child + 1 < _size && _heap[child + 1] < _heap[child])
                {
                    child++;
                }

                if (_heap[child] >= key)
                {
                    break;
                }

                Place(at, _heap[child]);
                at = child;
            }

            Place(at, key);
        }

        private readonly void Place(int at, long key)
        {
            _heap[at] = key;
            _slot[(int)(uint)key] = at;
        }
    }
}
