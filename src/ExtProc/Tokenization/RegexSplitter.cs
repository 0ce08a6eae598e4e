using System.Buffers;
using System.Text.RegularExpressions;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// Splits text into pre-tokens with a sequence of regexes, each keeping matches and the gaps between them as
/// pieces (Hugging Face <c>Split</c> with <c>Isolated</c> behaviour; one regex is tiktoken's pre-tokenizer). Each
/// piece of one regex is split by the next as soon as it is found, so no list of pieces is built.
/// <para/>.NET regexes see UTF-16 units while the references see code points, so text holding surrogate pairs is
/// matched on a shadow copy with one same-category character per code point, and offsets are mapped back.
/// </summary>
internal sealed class RegexSplitter(IReadOnlyList<Regex> splits) : IPreTokenizer
{
    public const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant;

    public void Split<TVisitor>(ReadOnlySpan<char> text, ref TVisitor visitor)
        where TVisitor : IPieceVisitor, allows ref struct
    {
        if (text.IsEmpty)
        {
            return;
        }

        if (text.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            SplitLevel(0, text, 0, text.Length, ref visitor);
            return;
        }

        var shadow = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var n = 0;
            for (var i = 0; i < text.Length; i++, n++)
            {
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

            var mapper = new ShadowMapper<TVisitor>(text, visitor);
            SplitLevel(0, shadow.AsSpan(0, n), 0, n, ref mapper);
            visitor = mapper.Inner;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(shadow);
        }
    }

    /// <summary>Replaces the contents of <paramref name="pieces"/> with the pre-tokens of <paramref name="text"/>.</summary>
    public void Split(ReadOnlySpan<char> text, List<Range> pieces) => RangeCollector.Split(this, text, pieces);

    /// <summary>Splits <c>text[start..end]</c> by regex <paramref name="level"/>, each piece by the regexes after it.</summary>
    private void SplitLevel<TVisitor>(int level, ReadOnlySpan<char> text, int start, int end, ref TVisitor visitor)
        where TVisitor : IPieceVisitor, allows ref struct
    {
        if (level == splits.Count)
        {
            visitor.Piece(text[start..end], start);
            return;
        }

        var last = 0;
        foreach (var match in splits[level].EnumerateMatches(text[start..end]))
        {
            if (match.Length == 0)
            {
                continue;
            }

            if (match.Index > last)
            {
                SplitLevel(level + 1, text, start + last, start + match.Index, ref visitor);
            }

            SplitLevel(level + 1, text, start + match.Index, start + match.Index + match.Length, ref visitor);
            last = match.Index + match.Length;
        }

        if (last < end - start)
        {
            SplitLevel(level + 1, text, start + last, end, ref visitor);
        }
    }

    /// <summary>
    /// Turns pieces of the shadow copy back into pieces of the text, for the visitor it carries (copied in, and out
    /// again by the caller): the pieces arrive in order, so one cursor maps them.
    /// </summary>
    private ref struct ShadowMapper<TVisitor>(ReadOnlySpan<char> text, TVisitor inner) : IPieceVisitor
        where TVisitor : IPieceVisitor, allows ref struct
    {
        private readonly ReadOnlySpan<char> _text = text;
        private int _shadow;
        private int _position;

        public TVisitor Inner = inner;

        public void Piece(ReadOnlySpan<char> piece, int start)
        {
            var from = _position;
            for (var end = start + piece.Length; _shadow < end; _shadow++)
            {
                _position += char.IsHighSurrogate(_text[_position]) && _position + 1 < _text.Length && char.IsLowSurrogate(_text[_position + 1]) ? 2 : 1;
            }

            Inner.Piece(_text[from.._position], from);
        }
    }
}
