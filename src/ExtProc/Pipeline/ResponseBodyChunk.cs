namespace AiSidecar.ExtProc.Pipeline;

/// <summary>A piece of the upstream response body as it passes; a stage may replace it (the client then sees the replacement).</summary>
internal sealed class ResponseBodyChunk(ReadOnlyMemory<byte> data, bool endOfStream)
{
    /// <summary>The bytes as the upstream sent them.</summary>
    public ReadOnlyMemory<byte> Data => data;

    /// <summary>True on the body's last chunk.</summary>
    public bool EndOfStream => endOfStream;

    /// <summary>What the client gets instead of <see cref="Data"/>; null to pass the chunk unchanged.</summary>
    public ReadOnlyMemory<byte>? Replacement { get; private set; }

    /// <summary>Sends <paramref name="bytes"/> to the client in place of this chunk (empty drops it).</summary>
    public void Replace(ReadOnlyMemory<byte> bytes) => Replacement = bytes;
}
