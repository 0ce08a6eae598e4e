using System.Buffers;
using System.Text;

namespace AiSidecar.ExtProc.Tokenization.HuggingFace;

/// <summary>
/// SentencePiece-style BPE as Hugging Face runs it for <c>byte_fallback</c> files (Llama 2, Mistral v0.1): each code
/// point is its vocabulary symbol, or its UTF-8 bytes as <c>&lt;0xXX&gt;</c> tokens when the vocabulary lacks it; the
/// symbols then merge by the file's merge ranks.
/// </summary>
internal static class SentencePieceSymbols
{
    public static int Count(ReadOnlySpan<char> text, HfBpeParts parts, List<int>? ids)
    {
        var vocab = parts.Vocabulary!.GetAlternateLookup<ReadOnlySpan<char>>();
        var symbols = ArrayPool<int>.Shared.Rent((text.Length * 3) + 1);
        var bytes = ArrayPool<byte>.Shared.Rent((text.Length * 3) + 1);
        try
        {
            var n = 0;
            Span<byte> utf8 = stackalloc byte[4];
            for (var i = 0; i < text.Length;)
            {
                var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
                var codePoint = text.Slice(i, width);
                if (vocab.TryGetValue(codePoint, out var id))
                {
                    symbols[n++] = id;
                }
                else
                {
                    var count = Encoding.UTF8.GetBytes(codePoint, utf8);
                    foreach (var b in utf8[..count])
                    {
                        symbols[n++] = parts.Ranks.ByteSymbol(b);
                    }
                }

                i += width;
            }

            return HeapBpe.Merge(bytes, symbols, n, parts.Ranks, ids);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(symbols);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>The normalizer of these files: <c>Prepend("▁")</c> (when set) and <c>Replace(" ", "▁")</c>.</summary>
    public static string Normalize(string segment, bool prepend) =>
        segment.Length == 0 ? segment : (prepend ? "\u2581" : "") + segment.Replace(' ', '\u2581');
}
