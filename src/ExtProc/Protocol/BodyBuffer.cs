using System.Buffers;
using Google.Protobuf;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>
/// Collects a request body. A body that arrives in one message is kept without copying; chunks are copied into one
/// array rented from a pool (sized from <c>content-length</c> when known) and returned by <see cref="Release"/>.
/// </summary>
internal sealed class BodyBuffer(ArrayPool<byte> pool)
{
    private ByteString? _single;
    private byte[]? _rented;
    private int _length;

    public long Length => _rented is not null ? _length : _single?.Length ?? 0;

    public ReadOnlyMemory<byte> Memory =>
        _rented is not null ? _rented.AsMemory(0, _length)
        : _single?.Memory ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>Adds a chunk; false when the total would pass <paramref name="limit"/>.</summary>
    /// <param name="chunk">The chunk's bytes.</param>
    /// <param name="limit">The largest body accepted.</param>
    /// <param name="expected">The request's <c>content-length</c>, when it has one: the size of the array to rent.</param>
    public bool TryAppend(ByteString chunk, long limit, long? expected)
    {
        var needed = Length + chunk.Length;
        if (needed > limit)
        {
            return false;
        }

        if (_single is null && _rented is null)
        {
            _single = chunk;
            return true;
        }

        if (_rented is null || needed > _rented.Length)
        {
            // First copy, or the chunks outgrew the array: rent what content-length says, else double.
            var size = expected is { } n && n >= needed && n <= limit ? n : Math.Min(limit, Math.Max(needed, Length * 2));
            var larger = pool.Rent((int)Math.Max(size, 4096));
            Memory.Span.CopyTo(larger);
            _length = (int)Length;
            ReturnRented();
            _rented = larger;
            _single = null;
        }

        chunk.Span.CopyTo(_rented.AsSpan(_length));
        _length += chunk.Length;
        return true;
    }

    /// <summary>
    /// Drops the body: a rented array goes back to the pool, unless <paramref name="toPool"/> is false (a stage the
    /// pipeline stopped waiting for may still read it; the GC reclaims it then). Safe to call more than once.
    /// </summary>
    public void Release(bool toPool = true)
    {
        if (toPool)
        {
            ReturnRented();
        }

        _rented = null;
        _single = null;
        _length = 0;
    }

    private void ReturnRented()
    {
        if (_rented is not null)
        {
            pool.Return(_rented);
            _rented = null;
        }
    }
}
