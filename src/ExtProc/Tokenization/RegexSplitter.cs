using System.Text.RegularExpressions;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// Splits text into pre-tokens with a sequence of regexes, each keeping matches and the gaps between them as
/// pieces (Hugging Face <c>Split</c> with <c>Isolated</c> behaviour; one regex is tiktoken's pre-tokenizer).
/// <para/>.NET regexes see UTF-16 units while the references see code points, so text holding surrogate pairs is
/// matched on a shadow copy with one same-category character per code point, and offsets are mapped back.
/// </summary>
internal sealed class RegexSplitter(IReadOnlyList<Regex> splits) : IPreTokenizer
{
    public const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant;

    public void Split(ReadOnlySpan<char> text, List<Range> pieces)
    {
        pieces.Clear();
        if (text.IsEmpty)
        {
            return;
        }

        if (text.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            SplitAll(text, pieces);
            return;
        }

        var shadow = new char[text.Length];
        var map = new int[text.Length + 1];
        var n = 0;
        for (var i = 0; i < text.Length; i++, n++)
        {
            map[n] = i;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                shadow[n] = RepresentativeChars.For(char.ConvertToUtf32(text[i], text[i + 1]));
                i++;
            }
            else
            {
                shadow[n] = text[i];
            }
        }

        map[n] = text.Length;
        SplitAll(shadow.AsSpan(0, n), pieces);
        for (var p = 0; p < pieces.Count; p++)
        {
            pieces[p] = new Range(map[pieces[p].Start.Value], map[pieces[p].End.Value]);
        }
    }

    private void SplitAll(ReadOnlySpan<char> text, List<Range> pieces)
    {
        pieces.Add(new Range(0, text.Length));
        foreach (var regex in splits)
        {
            var input = pieces.ToArray();
            pieces.Clear();
            foreach (var piece in input)
            {
                SplitOne(regex, text, piece, pieces);
            }
        }
    }

    private static void SplitOne(Regex regex, ReadOnlySpan<char> text, Range piece, List<Range> pieces)
    {
        var start = piece.Start.Value;
        var span = text[piece];
        var last = 0;
        foreach (var match in regex.EnumerateMatches(span))
        {
            if (match.Length == 0)
            {
                continue;
            }

            if (match.Index > last)
            {
                pieces.Add(new Range(start + last, start + match.Index));
            }

            pieces.Add(new Range(start + match.Index, start + match.Index + match.Length));
            last = match.Index + match.Length;
        }

        if (last < span.Length)
        {
            pieces.Add(new Range(start + last, start + span.Length));
        }
    }
}
