using System.Collections.Concurrent;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>Token counts of short pre-tokens (words), which repeat across texts; bounded, cleared when full.</summary>
internal sealed class PieceCountCache
{
    /// <summary>Longer pieces are merged every time: they rarely repeat.</summary>
    public const int MaxPieceLength = 48;

    private const int Capacity = 65536;

    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _size;

    public PieceCountCache() => _lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Counts one pre-token.</summary>
    public delegate int PieceCounter(ReadOnlySpan<char> piece);

    public int GetOrCount(ReadOnlySpan<char> piece, PieceCounter counter)
    {
        if (piece.Length > MaxPieceLength)
        {
            return counter(piece);
        }

        if (_lookup.TryGetValue(piece, out var count))
        {
            return count;
        }

        count = counter(piece);

        // ConcurrentDictionary.Count takes every lock of the table; an approximate size of our own is enough here.
        if (Interlocked.Increment(ref _size) > Capacity)
        {
            _counts.Clear();
            Volatile.Write(ref _size, 0);
        }

        _lookup.TryAdd(piece, count);
        return count;
    }
}
