using System.Buffers.Binary;
using System.Text;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// tiktoken's merge order: the rank of the merged bytes in the encoding, which is also the token id. A symbol is a
/// token, so the merge of two symbols depends only on their ids. Two-byte merges, half of all lookups, come from a
/// table of every byte pair; longer ones from <see cref="RecentMerges"/>, else the encoding's dictionary.
/// </summary>
internal readonly struct TiktokenRanks(Dictionary<ReadOnlyMemory<byte>, int> encoder, int[] byteRanks, int[] pairRanks, RecentMerges? recent) : HeapBpe.IRanks
{
    public int ByteSymbol(byte b) => byteRanks[b];

    public bool TryMerge(int left, int right, byte[] bytes, int start, int length, out int rank, out int merged)
    {
        if (length == 2)
        {
            rank = pairRanks[(bytes[start] << 8) | bytes[start + 1]];
        }
        else if (recent is null || !recent.TryGet(left, right, out rank))
        {
            rank = encoder.TryGetValue(new ReadOnlyMemory<byte>(bytes, start, length), out var found) ? found : -1;
            recent?.Set(left, right, rank);
        }

        merged = rank;
        return rank >= 0;
    }

    /// <summary>Reads a <c>.tiktoken</c> file: one <c>base64 rank</c> line per token, or (the data packages' form) a
    /// <c>Capacity: N</c> line followed by one <c>base64</c> line per token in rank order.</summary>
    public static TiktokenRanks Read(Stream stream)
    {
        var encoder = new Dictionary<ReadOnlyMemory<byte>, int>(ByteContentComparer.Instance);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var next = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var rank = space < 0 ? next : int.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture);
            encoder[Convert.FromBase64String(space < 0 ? line : line[..space])] = rank;
            next = rank + 1;
        }

        var ranks = new int[256];
        for (var b = 0; b < 256; b++)
        {
            ranks[b] = encoder.TryGetValue(new[] { (byte)b }, out var rank) ? rank
                : throw new InvalidOperationException($"The encoding has no token for byte {b}.");
        }

        var pairs = new int[256 * 256];
        for (var pair = 0; pair < pairs.Length; pair++)
        {
            pairs[pair] = encoder.TryGetValue(new[] { (byte)(pair >> 8), (byte)pair }, out var rank) ? rank : -1;
        }

        return new TiktokenRanks(encoder, ranks, pairs, RecentMerges.Fits(encoder.Values.Max()) ? new RecentMerges() : null);
    }

    private sealed class ByteContentComparer : IEqualityComparer<ReadOnlyMemory<byte>>
    {
        public static readonly ByteContentComparer Instance = new();

        public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);

        /// <summary>
        /// A multiply-xor hash over 8-byte words: tokens are a few bytes long, and HashCode.AddBytes cost about as much as
        /// the rest of a lookup. Only the fixed vocabulary is stored, so inputs cannot lengthen its buckets.
        /// </summary>
        public int GetHashCode(ReadOnlyMemory<byte> obj)
        {
            const ulong Multiplier = 0x9E3779B97F4A7C15;
            var span = obj.Span;
            var hash = (ulong)span.Length;
            for (; span.Length >= 8; span = span[8..])
            {
                hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(span)) * Multiplier;
                hash ^= hash >> 29;
            }

            var tail = 0UL;
            for (var i = 0; i < span.Length; i++)
            {
                tail |= (ulong)span[i] << (8 * i);
            }

            hash = (hash ^ tail) * Multiplier;
            return (int)(hash >> 32) ^ (int)hash;
        }
    }
}
