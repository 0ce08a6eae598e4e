using System.Text;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>tiktoken's merge order: the rank of the merged bytes in the encoding, which is also the token id.</summary>
internal readonly struct TiktokenRanks(Dictionary<ReadOnlyMemory<byte>, int> encoder, int[] byteRanks) : HeapBpe.IRanks
{
    public int ByteSymbol(byte b) => byteRanks[b];

    public bool TryMerge(int left, int right, byte[] bytes, int start, int length, out int rank, out int merged)
    {
        var found = encoder.TryGetValue(new ReadOnlyMemory<byte>(bytes, start, length), out rank);
        merged = rank;
        return found;
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

        return new TiktokenRanks(encoder, ranks);
    }

    private sealed class ByteContentComparer : IEqualityComparer<ReadOnlyMemory<byte>>
    {
        public static readonly ByteContentComparer Instance = new();

        public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);

        public int GetHashCode(ReadOnlyMemory<byte> obj)
        {
            var hash = default(HashCode);
            hash.AddBytes(obj.Span);
            return hash.ToHashCode();
        }
    }
}
