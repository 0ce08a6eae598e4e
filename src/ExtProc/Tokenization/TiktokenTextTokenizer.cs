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
    private readonly TiktokenRanks _ranks;
    private readonly int _cacheId = SegmentCountCache.NewTokenizerId();

    private readonly PieceCountCache _pieces = new();
    private readonly PieceCountCache.PieceCounter _countPiece;

    private TiktokenTextTokenizer(string name, TiktokenRanks ranks, string pattern, SegmentCountCache? cache)
    {
        _ranks = ranks;
        _countPiece = piece => HeapBpe.Count(piece, _ranks, null);
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

    public int CountTokens(string text) =>
        _cache is null ? CountUncached(text) : _cache.GetOrCount(_cacheId, text, (this, text), static s => s.Item1.CountUncached(s.text));

    private int CountUncached(string text)
    {
        var pieces = PieceLists.Rent();
        var clean = TextSanitizer.ReplaceLoneSurrogates(text);
        _splitter.Split(clean, pieces);
        var total = 0;
        foreach (var piece in pieces)
        {
            total += _pieces.GetOrCount(clean.AsSpan()[piece], _countPiece);
        }

        PieceLists.Return(pieces);
        return total;
    }

    public IReadOnlyList<int> EncodeToIds(string text)
    {
        var pieces = new List<Range>();
        var clean = TextSanitizer.ReplaceLoneSurrogates(text);
        _splitter.Split(clean, pieces);
        var ids = new List<int>();
        foreach (var piece in pieces)
        {
            HeapBpe.Count(clean.AsSpan()[piece], _ranks, ids);
        }

        return ids;
    }
}
