using System.Text;
using AiSidecar.ExtProc.Tokenization;
using AiSidecar.ExtProc.Tokenization.HuggingFace;
using Microsoft.ML.Tokenizers;

namespace AiSidecar.ExtProc.Tests.Tokenization;

/// <summary>
/// Pre-tokens longer than the budget allows are counted by an upper bound, flagged, never cached as exact; natural text
/// stays exact under the default budget; a cancelled count stops between pieces.
/// </summary>
public sealed class CountBudgetTests
{
    private const int SmallLimit = 1024;

    public static TheoryData<string> Tokenizers => ["o200k_base", "cl100k_base", "qwen3", "llama3", "deepseek_v3", "llama2"];

    /// <summary>Runs with no natural split, 5,000 characters each, and a CJK run with no punctuation.</summary>
    private static IEnumerable<(string Name, string Text)> Pathological()
    {
        var random = new Random(20261129);
        yield return ("letters", new string([.. Enumerable.Range(0, 5000).Select(_ => (char)('a' + random.Next(26)))]));
        yield return ("spaces", new string(' ', 5000));
        yield return ("bangs", new string('!', 5000));
        yield return ("repeated", new string('a', 5000));
        yield return ("cjk", new string([.. Enumerable.Range(0, 3000).Select(_ => "的一是不了人我在有他这中大来上国个到说们"[random.Next(20)])]));
        yield return ("word then run", "Count this: " + new string('x', 4000) + " and the words after it.");
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void CountTokens_PieceLongerThanTheLimit_IsFlaggedAndAtLeastTheExactCount(string name)
    {
        var tokenizer = GoldenFiles.Tokenizer(name);
        foreach (var (input, text) in Pathological())
        {
            var exact = tokenizer.CountTokens(text);
            var budget = new CountBudget(SmallLimit, CancellationToken.None);

            var bound = tokenizer.CountTokens(text, budget);

            // SentencePiece files cut random letters where no merge joins them: those runs are short and exact.
            Assert.True(budget.Exact ? bound == exact : bound >= exact, $"{name}/{input}: {bound} (exact: {budget.Exact}), reference count {exact}");
            Assert.True(bound <= Encoding.UTF8.GetByteCount(text) + 2, $"{name}/{input}: bound {bound} above the initial symbols");
            Assert.True(!budget.Exact || (name == "llama2" && input is "letters" or "cjk"), $"{name}/{input}: the count was not flagged");
        }
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void CountTokens_PiecesWithinTheLimit_AreExact(string name)
    {
        var tokenizer = GoldenFiles.Tokenizer(name);
        foreach (var (input, text) in Pathological())
        {
            var budget = new CountBudget(64 * 1024, CancellationToken.None);

            Assert.Equal(tokenizer.CountTokens(text), tokenizer.CountTokens(text, budget));
            Assert.True(budget.Exact, $"{name}/{input}");
        }
    }

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void CountTokens_Bound_IsAtLeastTheReferenceCount(string encoding)
    {
        var reference = TiktokenTokenizer.CreateForEncoding(encoding);
        var tokenizer = GoldenFiles.Tokenizer(encoding);
        foreach (var (input, text) in Pathological())
        {
            var bound = tokenizer.CountTokens(text, new CountBudget(SmallLimit, CancellationToken.None));

            Assert.True(bound >= reference.CountTokens(text), $"{encoding}/{input}");
        }
    }

    [Theory]
    [InlineData("o200k_base", 5000)]
    [InlineData("qwen3", 5000)]
    [InlineData("llama2", 5001)]
    public void CountTokens_OneRunOfALetter_CountsItsInitialSymbols(string name, int expected)
    {
        // Byte-level: one symbol per byte. SentencePiece: "▁" is prepended, then one symbol per letter.
        var budget = new CountBudget(SmallLimit, CancellationToken.None);

        Assert.Equal(expected, GoldenFiles.Tokenizer(name).CountTokens(new string('a', 5000), budget));
        Assert.Equal(1, budget.BoundedPieces);
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void CountTokens_MegabytesOfNaturalText_StayExactUnderTheDefault(string name)
    {
        // The golden corpus (every script, code, emoji, long words and whitespace runs) over and over, about 2 MB.
        var corpus = string.Join("\n", GoldenFiles.Plain(name).Cases.Select(c => c.Input));
        var text = new StringBuilder();
        while (text.Length < 1 << 20)
        {
            text.Append(corpus).Append('\n');
        }

        var budget = new CountBudget(new TokenizationOptions().MaxMergeBytes, CancellationToken.None);
        var counted = GoldenFiles.Tokenizer(name).CountTokens(text.ToString(), budget);

        Assert.True(budget.Exact);
        Assert.Equal(GoldenFiles.Tokenizer(name).CountTokens(text.ToString()), counted);
    }

    [Fact]
    public void CountTokens_InexactSegment_IsNotCachedAsExact()
    {
        var cache = new SegmentCountCache(1024);
        var tokenizer = TokenizerJsonLoader.Load(GoldenFiles.ModelFile("qwen3"), cache);
        var text = "A run no word has: " + new string('z', 5000);

        var bound = tokenizer.CountTokens(text, new CountBudget(SmallLimit, CancellationToken.None));
        var exact = tokenizer.CountTokens(text, new CountBudget(64 * 1024, CancellationToken.None));
        var again = tokenizer.CountTokens(text, new CountBudget(64 * 1024, CancellationToken.None));

        Assert.True(bound > exact);
        Assert.Equal(GoldenFiles.Tokenizer("qwen3").CountTokens(text), exact);
        Assert.Equal((exact, 2L, 1L), (again, cache.Misses, cache.Hits));
    }

    [Fact]
    public void GetOrCount_CountThatBoundedAPiece_IsReturnedButNotCached()
    {
        var cache = new SegmentCountCache(16);
        var text = new string('q', 100);
        var calls = 0;
        int Bounded(CountBudget budget)
        {
            calls++;
            return budget.TryMerge(SmallLimit + 1) ? 1 : 2;
        }

        var budget = new CountBudget(SmallLimit, CancellationToken.None);
        Assert.Equal(2, cache.GetOrCount(1, text, budget, budget, Bounded));
        Assert.Equal(2, cache.GetOrCount(1, text, budget, budget, Bounded));

        Assert.Equal((2, 0L), (calls, cache.Hits));
    }

    [Fact]
    public void CountTokens_CancelledWhileCounting_StopsWithoutSplittingTheRest()
    {
        // The pre-tokenizer cancels the count after 100 pieces and counts how many it was asked for.
        var qwen = ((HfBpeTokenizer)GoldenFiles.Tokenizer("qwen3")).Parts;
        using var cancellation = new CancellationTokenSource();
        var splitter = new CancellingSplitter(qwen.Splitter, cancellation, after: 100);
        var tokenizer = new HfBpeTokenizer("test", With(qwen, splitter), cache: null);
        var text = string.Join(' ', Enumerable.Repeat("word", 100_000));

        Assert.Throws<OperationCanceledException>(() => tokenizer.CountTokens(text, new CountBudget(SmallLimit, cancellation.Token)));

        Assert.InRange(splitter.Pieces, 100, 100 + 64);
    }

    [Fact]
    public void CountTokens_AlreadyCancelledOnALongPiece_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(() =>
            GoldenFiles.Tokenizer("o200k_base").CountTokens(new string('a', 5000), new CountBudget(SmallLimit, cancellation.Token)));
    }

    private static HfBpeParts With(HfBpeParts parts, IPreTokenizer splitter) => new()
    {
        RawTokens = parts.RawTokens,
        NormalizedTokens = parts.NormalizedTokens,
        AddedTokens = parts.AddedTokens,
        Nfc = parts.Nfc,
        Splitter = splitter,
        Vocabulary = parts.Vocabulary,
        Ranks = parts.Ranks,
        PromptSpecialTokens = parts.PromptSpecialTokens,
        IgnoreMerges = parts.IgnoreMerges,
    };

    /// <summary>Splits as <paramref name="inner"/> does, counting the pieces handed on, and cancels after <paramref name="after"/>.</summary>
    private sealed class CancellingSplitter(IPreTokenizer inner, CancellationTokenSource cancellation, int after) : IPreTokenizer
    {
        public int Pieces { get; private set; }

        private void Seen()
        {
            if (++Pieces == after)
            {
                cancellation.Cancel();
            }
        }

        public void Split<TVisitor>(ReadOnlySpan<char> text, ref TVisitor visitor)
            where TVisitor : IPieceVisitor, allows ref struct
        {
            var counting = new Counting<TVisitor>(this, visitor);
            inner.Split(text, ref counting);
            visitor = counting.Inner;
        }

        private ref struct Counting<TVisitor>(CancellingSplitter owner, TVisitor inner) : IPieceVisitor
            where TVisitor : IPieceVisitor, allows ref struct
        {
            public TVisitor Inner = inner;

            public void Piece(ReadOnlySpan<char> piece, int start)
            {
                owner.Seen();
                Inner.Piece(piece, start);
            }
        }
    }
}
