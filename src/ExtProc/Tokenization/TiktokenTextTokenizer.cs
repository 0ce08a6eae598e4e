using AiSidecar.Configuration;
using System.IO.Compression;
using System.Reflection;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// A tiktoken encoding from the Microsoft.ML.Tokenizers data packages with <c>encode_ordinary</c> semantics: special tokens typed by a
/// user (<c>&lt;|endoftext|&gt;</c>) are plain text, as OpenAI's API treats message content.
/// </summary>
internal sealed class TiktokenTextTokenizer : ITextTokenizer
{
    private readonly GptPreTokenizer _splitter;
    private readonly SegmentCountCache? _cache;
    private readonly BytePieces<TiktokenRanks> _pieces;
    private readonly int _cacheId = SegmentCountCache.NewTokenizerId();

    private TiktokenTextTokenizer(string name, TiktokenRanks ranks, string pattern, SegmentCountCache? cache)
    {
        _pieces = new BytePieces<TiktokenRanks>(ranks, wholeWords: null);
        Name = name;
        _cache = cache;
        _splitter = GptPreTokenizer.For(pattern) ?? throw new ArgumentException($"No pre-tokenizer for the pattern of {name}.", nameof(pattern));
    }

    public string Name { get; }

    public int PromptSpecialTokens => 0;

    public static TiktokenTextTokenizer Create(TiktokenEncoding encoding, SegmentCountCache? cache = null)
    {
        var pattern = TiktokenPatterns.For(encoding);
        var package = encoding.ToString();
        var name = ConfigEnumNames.ToConfigName(encoding);
        var assembly = Assembly.Load(new AssemblyName($"Microsoft.ML.Tokenizers.Data.{package}"));
        Stream Open() => new DeflateStream(
            assembly.GetManifestResourceStream($"{name}.tiktoken.deflate") ?? throw new InvalidOperationException($"The data package for {name} holds no vocabulary."),
            CompressionMode.Decompress);
        using var ranks = Open();
        return new TiktokenTextTokenizer(name, TiktokenRanks.Read(ranks), pattern, cache);
    }

    public int CountTokens(string text) => CountTokens(text, CountBudget.Unlimited);

    public int CountTokens(string text, CountBudget budget) =>
        _cache is null ? CountUncached(text, budget)
            : _cache.GetOrCount(_cacheId, text, budget, (this, text, budget), static s => s.Item1.CountUncached(s.text, s.budget));

    private int CountUncached(string text, CountBudget budget)
    {
        var counter = _pieces.CountWithin(budget);
        _splitter.Split(TextSanitizer.ReplaceLoneSurrogates(text), ref counter);
        return counter.Total;
    }

    public IReadOnlyList<int> EncodeToIds(string text)
    {
        var encoder = _pieces.EncodeInto([]);
        _splitter.Split(TextSanitizer.ReplaceLoneSurrogates(text), ref encoder);
        return encoder.Ids;
    }
}
