using System.Text;

namespace AiSidecar.ExtProc.Tokenization.HuggingFace;

/// <summary>
/// The pairs of adjacent initial symbols that some merge of a SentencePiece-style file can join: the last initial
/// symbol of a merge's left part next to the first initial symbol of its right part. Every symbol the merges build
/// is a run of initial symbols, so two adjacent initial symbols that form no such pair are never merged across, and
/// <see cref="SentencePieceSymbols"/> merges the text on each side of them separately. In Llama 2's merges no left
/// part ending in anything but "▁" meets a right part starting with "▁": every word starts a new run.
/// </summary>
internal sealed class SymbolJoins
{
    private readonly HashSet<long> _pairs;

    private SymbolJoins(HashSet<long> pairs) => _pairs = pairs;

    public bool MayJoin(int left, int right) => _pairs.Contains(MergeRanks.Key(left, right));

    /// <summary>The pairs of <paramref name="merges"/> (<c>"left right"</c>), whose parts are known to be in <paramref name="vocabulary"/>.</summary>
    public static SymbolJoins Build(IEnumerable<string> merges, Dictionary<string, int> vocabulary, int[] byteSymbols)
    {
        var pairs = new HashSet<long>(MergeRanks.PairComparer);
        Span<int> lasts = stackalloc int[2];
        Span<int> firsts = stackalloc int[2];
        foreach (var merge in merges)
        {
            var space = merge.IndexOf(' ', StringComparison.Ordinal);
            var lastCount = Initials(merge.AsSpan(0, space), last: true, vocabulary, byteSymbols, lasts);
            var firstCount = Initials(merge.AsSpan(space + 1), last: false, vocabulary, byteSymbols, firsts);
            foreach (var left in lasts[..lastCount])
            {
                foreach (var right in firsts[..firstCount])
                {
                    pairs.Add(MergeRanks.Key(left, right));
                }
            }
        }

        return new SymbolJoins(pairs);
    }

    /// <summary>
    /// The initial symbol a part ends (or starts) with: its last (first) code point's vocabulary symbol, else that code
    /// point's last (first) byte token; and a byte token's own id when the part is one (<c>&lt;0xE4&gt;</c>).
    /// </summary>
    private static int Initials(ReadOnlySpan<char> part, bool last, Dictionary<string, int> vocabulary, int[] byteSymbols, Span<int> found)
    {
        var count = 0;
        if (part is ['<', '0', 'x', _, _, '>'] && byte.TryParse(part[3..5], System.Globalization.NumberStyles.AllowHexSpecifier, null, out var value))
        {
            found[count++] = byteSymbols[value];
        }

        var width = last ? (part.Length >= 2 && char.IsLowSurrogate(part[^1]) && char.IsHighSurrogate(part[^2]) ? 2 : 1)
            : (part.Length >= 2 && char.IsHighSurrogate(part[0]) && char.IsLowSurrogate(part[1]) ? 2 : 1);
        var codePoint = last ? part[^width..] : part[..width];
        if (vocabulary.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(codePoint, out var id))
        {
            found[count++] = id;
        }
        else
        {
            Span<byte> utf8 = stackalloc byte[4];
            var bytes = Encoding.UTF8.GetBytes(codePoint, utf8);
            found[count++] = byteSymbols[last ? utf8[bytes - 1] : utf8[0]];
        }

        return count;
    }
}
