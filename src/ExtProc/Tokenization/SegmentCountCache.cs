using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// Token counts of text segments (message contents, template pieces between special tokens), keyed by a SHA-256
/// prefix of the text and the tokenizer, so a multi-turn chat that resends its history counts only what is new.
/// <para/>Bounded: two generations of at most half the capacity each; a hit in the old one is promoted.
/// </summary>
internal sealed class SegmentCountCache(int capacity)
{
    /// <summary>Segments shorter than this are counted directly: hashing them costs about as much.</summary>
    public const int MinLength = 64;

    private static int s_nextTokenizerId;

    private readonly Lock _gate = new();
    private readonly int _generationSize = Math.Max(1, capacity / 2);
    private ConcurrentDictionary<Key, int> _current = new();
    private ConcurrentDictionary<Key, int> _previous = new();
    private int _currentSize;

    /// <summary>How many lookups were answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>How many lookups counted the text.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    private long _hits;
    private long _misses;

    /// <summary>A new id for a loaded tokenizer, so a reloaded file never reads its predecessor's counts.</summary>
    public static int NewTokenizerId() => Interlocked.Increment(ref s_nextTokenizerId);

    /// <summary>
    /// The cached count of <paramref name="text"/>, or <paramref name="count"/>'s. Only exact counts are kept: a count
    /// during which <paramref name="budget"/> bounded a piece is returned but not cached, so a later request with
    /// room to spare counts the text exactly.
    /// </summary>
    public int GetOrCount<TState>(int tokenizerId, ReadOnlySpan<char> text, CountBudget budget, TState state, Func<TState, int> count)
    {
        if (capacity <= 0 || text.Length < MinLength)
        {
            return count(state);
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(MemoryMarshal.AsBytes(text), hash);
        var key = new Key(tokenizerId, MemoryMarshal.Read<UInt128>(hash));
        if (_current.TryGetValue(key, out var n))
        {
            Interlocked.Increment(ref _hits);
            return n;
        }

        if (_previous.TryGetValue(key, out n))
        {
            Interlocked.Increment(ref _hits);
            Add(key, n);
            return n;
        }

        Interlocked.Increment(ref _misses);
        var bounded = budget.BoundedPieces;
        n = count(state);
        if (budget.BoundedPieces == bounded)
        {
            Add(key, n);
        }

        return n;
    }

    private void Add(Key key, int count)
    {
        var current = _current;

        // ConcurrentDictionary.Count takes every lock of the table: the generation's size is counted here instead.
        if (!current.TryAdd(key, count) || Interlocked.Increment(ref _currentSize) < _generationSize)
        {
            return;
        }

        lock (_gate)
        {
            if (ReferenceEquals(current, _current))
            {
                _previous = current;
                _current = new ConcurrentDictionary<Key, int>();
                Volatile.Write(ref _currentSize, 0);
            }
        }
    }

    private readonly record struct Key(int Tokenizer, UInt128 Hash);
}
