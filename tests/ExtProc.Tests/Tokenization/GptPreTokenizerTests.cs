using System.Text;
using System.Text.RegularExpressions;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Tests.Tokenization;

/// <summary>The hand-written scanner must split exactly as the pattern's regex does (the oracle), except where noted.</summary>
public sealed class GptPreTokenizerTests
{
    public static TheoryData<string> Patterns => [TiktokenPatterns.Cl100kBase, TiktokenPatterns.Qwen2, TiktokenPatterns.O200kBase];

    // One or two of each class the patterns tell apart: cases of letters, marks, numbers, whitespace kinds, line
    // breaks, apostrophes and contraction letters, '/', punctuation, symbols, format and unassigned characters, and
    // supplementary code points (letters, digits, emoji) that take two UTF-16 units.
    private static readonly string[] Alphabet =
    [
        "a", "z", "s", "t", "r", "e", "v", "m", "l", "d", "S", "T", "R", "E", "L", "D", "Q", "ß", "é", "Ω", "ω",
        "ǅ", "ʰ", "ƻ", "中", "ア", "\u0301", "\u0903", "\u20DD", "1", "9", "٣", "Ⅻ", "²", " ", " ", " ", "\t", "\v", "\f",
        "\u0085", "\u00A0", "\u2028", "\u3000", "\r", "\n", "'", "'", "/", ".", "!", "-", "_", "$", "+", "€", "©",
        "\u200B", "\u00AD", "\u0378", "\uE000", "😀", "𝐇", "𝐞", "𝟎", "𠀀", "\u200D", "\uFE0F", "K",
    ];

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Split_RandomMixedText_EqualsRegex(string pattern)
    {
        var random = new Random(20261127);
        var regex = Oracle(pattern);
        for (var i = 0; i < 4000; i++)
        {
            var text = new StringBuilder();
            var length = random.Next(1, i % 10 == 0 ? 200 : 24);
            for (var j = 0; j < length; j++)
            {
                text.Append(Alphabet[random.Next(Alphabet.Length)]);
            }

            AssertSameSplit(regex, pattern, text.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Split_EveryBmpCharacterInContext_EqualsRegex(string pattern)
    {
        string[] contexts = ["{0}", "a{0}", "{0}b", "A{0}b", " {0}x", "'{0}", "x'{0}e", "{0}{0}{0}\n", "1{0}2", "\u0301{0}", "{0} "];
        var texts = new StringBuilder();
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (char.IsSurrogate((char)c) || c == '\u017F')
            {
                continue;
            }

            foreach (var context in contexts)
            {
                texts.Append(context.Replace("{0}", ((char)c).ToString(), StringComparison.Ordinal)).Append('\u0007');
            }
        }

        // One long text: the separator (a control character) is always a piece boundary of its own or a symbol run.
        AssertSameSplit(Oracle(pattern), pattern, texts.ToString());
    }

    [Theory]
    [InlineData("it'ſelf", "it|'ſ|elf")]
    [InlineData("'ſx", "'ſ|x")]
    [InlineData("x'Sab", "x|'S|ab")]
    [InlineData("we'LL", "we|'LL")]
    public void Split_LongSContraction_FoldsLikeTheReferences(string text, string expected)
    {
        // tiktoken and Hugging Face tokenizers match (?i:'s) against U+017F (long s), as Unicode case folding says;
        // .NET's regex does not, so here the regex is not the oracle: the reference's token ids are in the goldens.
        var pieces = new List<Range>();
        GptPreTokenizer.For(TiktokenPatterns.Cl100kBase)!.Split(text, pieces);
        Assert.Equal(expected, string.Join('|', pieces.Select(p => text[p])));
    }

    [Fact]
    public void For_OtherPattern_ReturnsNull()
    {
        Assert.Null(GptPreTokenizer.For(@"\p{N}{1,3}"));
        Assert.NotNull(GptPreTokenizer.For(TiktokenPatterns.O200kBase));
    }

    private static RegexSplitter Oracle(string pattern) => new([new Regex(pattern, RegexSplitter.Options)]);

    private static void AssertSameSplit(RegexSplitter oracle, string pattern, string text)
    {
        var expected = new List<Range>();
        var actual = new List<Range>();
        oracle.Split(text, expected);
        GptPreTokenizer.For(pattern)!.Split(text, actual);
        if (!expected.SequenceEqual(actual))
        {
            var at = expected.Zip(actual).TakeWhile(p => p.First.Equals(p.Second)).Count();
            var want = at < expected.Count ? Escape(text[expected[at]]) : "(end)";
            var got = at < actual.Count ? Escape(text[actual[at]]) : "(end)";
            Assert.Fail($"Piece {at} of {Escape(text[..Math.Min(text.Length, 400)])}: regex '{want}', scanner '{got}'.");
        }
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c is >= ' ' and < '\u007F' ? c.ToString() : $"\\u{(int)c:X4}"));
}
