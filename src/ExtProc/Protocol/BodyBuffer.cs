using System.Buffers;
using Google.Protobuf;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>Collects a request body; a body that arrives in one message is kept without copying.</summary>
internal sealed class BodyBuffer
{
    private ByteString? _single;
    private ArrayBufferWriter<byte>? _chunks;

    public long Length => _chunks?.WrittenCount ?? _single?.Length ?? 0;

    public ReadOnlyMemory<byte> Memory =>
        _chunks is not null ? _chunks.WrittenMemory
        : _single?.Memory ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>Adds a chunk; false when the total would pass <paramref name="limit"/>.</summary>
    public bool TryAppend(ByteString chunk, long limit)
    {
        if (Length + chunk.Length > limit)
        {
            return false;
        }

        if (_single is null && _chunks is null)
        {
            _single = chunk;
            return true;
        }

        if (_chunks is null)
        {
            _chunks = new ArrayBufferWriter<byte>(Math.Max(4096, (_single!.Length + chunk.Length) * 2));
            _chunks.Write(_single.Span);
            _single = null;
        }

        _chunks.Write(chunk.Span);
        return true;
    }
}
