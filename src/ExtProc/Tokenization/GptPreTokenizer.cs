using static AiSidecar.ExtProc.Tokenization.PreTokenClass;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// The pre-tokenizer of the GPT-4 family patterns (<see cref="TiktokenPatterns"/>: cl100k_base, which Llama 3 also
/// uses, Qwen's one-digit variant, and o200k_base) as a single forward scan over code points: the same pieces as the
/// regex, found the way its backtracking would find them, at a fraction of the cost (the regex took 20 µs per KB of
/// prompt, most of a count). <see cref="RegexSplitter"/> over the pattern stays the oracle in the tests.
/// </summary>
internal sealed class GptPreTokenizer : IPreTokenizer
{
    private readonly bool _o200k;
    private readonly int _maxDigits;

    private GptPreTokenizer(bool o200k, int maxDigits)
    {
        _o200k = o200k;
        _maxDigits = maxDigits;
    }

    /// <summary>The scanner for a pattern, or null when <paramref name="pattern"/> is not one it implements exactly.</summary>
    public static GptPreTokenizer? For(string pattern) => pattern switch
    {
        TiktokenPatterns.Cl100kBase => new(o200k: false, maxDigits: 3),
        TiktokenPatterns.Qwen2 => new(o200k: false, maxDigits: 1),
        TiktokenPatterns.O200kBase => new(o200k: true, maxDigits: 3),
        _ => null,
    };

    public void Split<TVisitor>(ReadOnlySpan<char> text, ref TVisitor visitor)
        where TVisitor : IPieceVisitor, allows ref struct
    {
        var pos = 0;
        while (pos < text.Length)
        {
            var end = _o200k ? MatchO200k(text, pos) : MatchCl100k(text, pos);
            visitor.Piece(text[pos..end], pos);
            pos = end;
        }
    }

    /// <summary>Replaces the contents of <paramref name="pieces"/> with the pre-tokens of <paramref name="text"/>.</summary>
    public void Split(ReadOnlySpan<char> text, List<Range> pieces) => RangeCollector.Split(this, text, pieces);

    // (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,n}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
    private int MatchCl100k(ReadOnlySpan<char> text, int pos)
    {
        var c = PreTokenClasses.At(text, pos, out var width);
        var contraction = Contraction(text, pos);
        if (contraction > 0)
        {
            return pos + contraction;
        }

        if ((c & Letter) != 0)
        {
            return Run(text, pos, Letter);
        }

        if ((c & PreTokenClasses.NotPrefix) == 0 && pos + width < text.Length && (PreTokenClasses.At(text, pos + width, out _) & Letter) != 0)
        {
            return Run(text, pos + width, Letter);
        }

        return MatchRest(text, pos, c, width, slash: false);
    }

    // [^\r\n\p{L}\p{N}]?[Upper]*[Lower]+C?|[^\r\n\p{L}\p{N}]?[Upper]+[Lower]*C?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
    private int MatchO200k(ReadOnlySpan<char> text, int pos)
    {
        var c = PreTokenClasses.At(text, pos, out var width);
        var prefixed = (c & PreTokenClasses.NotPrefix) == 0 && pos + width < text.Length;
        var end = prefixed ? LowerTail(text, pos + width) : -1;
        if (end < 0)
        {
            end = LowerTail(text, pos);
        }

        if (end < 0 && prefixed)
        {
            end = UpperHead(text, pos + width);
        }

        if (end < 0)
        {
            end = UpperHead(text, pos);
        }

        return end >= 0 ? end : MatchRest(text, pos, c, width, slash: true);
    }

    /// <summary>The alternatives both families share, from the number group on.</summary>
    private int MatchRest(ReadOnlySpan<char> text, int pos, PreTokenClass c, int width, bool slash)
    {
        if ((c & Number) != 0)
        {
            var end = pos + width;
            for (var digits = 1; digits < _maxDigits && end < text.Length && (PreTokenClasses.At(text, end, out var w) & Number) != 0; digits++)
            {
                end += w;
            }

            return end;
        }

        var start = text[pos] == ' ' && pos + 1 < text.Length && (PreTokenClasses.At(text, pos + 1, out _) & PreTokenClasses.WordOrSpace) == 0 ? pos + 1
            : (c & PreTokenClasses.WordOrSpace) == 0 ? pos
            : -1;
        if (start >= 0)
        {
            var end = RunNot(text, start, PreTokenClasses.WordOrSpace);
            while (end < text.Length && (text[end] is '\r' or '\n' || (slash && text[end] == '/')))
            {
                end++;
            }

            return end;
        }

        return (c & Space) != 0 ? Whitespace(text, pos) : pos + width;
    }

    /// <summary><c>\s*[\r\n]+|\s+(?!\S)|\s+</c> at a whitespace character.</summary>
    private static int Whitespace(ReadOnlySpan<char> text, int pos)
    {
        var end = Run(text, pos, Space);
        var lastBreak = text[pos..end].LastIndexOfAny('\r', '\n');
        return lastBreak >= 0 ? pos + lastBreak + 1
            : end == text.Length || end - pos == 1 ? end
            : end - 1;
    }

    /// <summary><c>[Upper]*[Lower]+C?</c> from <paramref name="start"/> with the regex's backtracking, or -1.</summary>
    private static int LowerTail(ReadOnlySpan<char> text, int start)
    {
        var upperEnd = Run(text, start, Upper);
        for (var p = upperEnd; p >= start; p = Previous(text, p))
        {
            if (p < text.Length && (PreTokenClasses.At(text, p, out _) & Lower) != 0)
            {
                var end = Run(text, p, Lower);
                return end + Contraction(text, end);
            }

            if (p == start)
            {
                break;
            }
        }

        return -1;
    }

    /// <summary><c>[Upper]+[Lower]*C?</c> from <paramref name="start"/>, or -1.</summary>
    private static int UpperHead(ReadOnlySpan<char> text, int start)
    {
        if (start >= text.Length || (PreTokenClasses.At(text, start, out _) & Upper) == 0)
        {
            return -1;
        }

        var end = Run(text, Run(text, start, Upper), Lower);
        return end + Contraction(text, end);
    }

    /// <summary>
    /// The length of <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)</c> at <paramref name="pos"/>, or 0. Case-insensitive as the
    /// references' Unicode regex engines are: U+017F (long s) folds to <c>s</c>, which .NET's regex does not do.
    /// </summary>
    private static int Contraction(ReadOnlySpan<char> text, int pos)
    {
        if (pos + 1 >= text.Length || text[pos] != '\'')
        {
            return 0;
        }

        var second = pos + 2 < text.Length ? (char)(text[pos + 2] | 0x20) : '\0';
        return text[pos + 1] == '\u017F' ? 2 : (char)(text[pos + 1] | 0x20) switch
        {
            's' or 't' or 'm' or 'd' => 2,
            'r' or 'v' when second == 'e' => 3,
            'l' when second == 'l' => 3,
            _ => 0,
        };
    }

    private static int Run(ReadOnlySpan<char> text, int pos, PreTokenClass any)
    {
        while (pos < text.Length && (PreTokenClasses.At(text, pos, out var width) & any) != 0)
        {
            pos += width;
        }

        return pos;
    }

    private static int RunNot(ReadOnlySpan<char> text, int pos, PreTokenClass none)
    {
        while (pos < text.Length && (PreTokenClasses.At(text, pos, out var width) & none) == 0)
        {
            pos += width;
        }

        return pos;
    }

    private static int Previous(ReadOnlySpan<char> text, int pos) =>
        pos >= 2 && char.IsLowSurrogate(text[pos - 1]) && char.IsHighSurrogate(text[pos - 2]) ? pos - 2 : pos - 1;
}
