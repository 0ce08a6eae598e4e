using System.Text;

namespace AiSidecar.ExtProc.Tokenization.HuggingFace;

/// <summary>
/// A byte-level BPE tokenizer read from a Hugging Face <c>tokenizer.json</c>: added tokens are matched first (raw,
/// then normalized), the rest is normalized, split by the pre-tokenizer's regexes and merged by the file's merge
/// ranks (<see cref="HeapBpe"/>). The same steps and order as the reference.
/// </summary>
internal sealed class HfBpeTokenizer : ITextTokenizer
{
    private readonly HfBpeParts _parts;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>? _vocab;
    private readonly SegmentCountCache? _cache;
    private readonly PieceCountCache _pieces = new();
    private readonly PieceCountCache.PieceCounter _countPiece;
    private readonly int _cacheId = SegmentCountCache.NewTokenizerId();

    public HfBpeTokenizer(string name, HfBpeParts parts, SegmentCountCache? cache)
    {
        Name = name;
        _parts = parts;
        _vocab = parts.Vocabulary?.GetAlternateLookup<ReadOnlySpan<char>>();
        _cache = cache;
        _countPiece = CountPiece;
    }

    public string Name { get; }

    public int PromptSpecialTokens => _parts.PromptSpecialTokens;

    /// <summary>The loaded parts, for tests.</summary>
    internal HfBpeParts Parts => _parts;

    /// <summary>The added tokens by content, for chat templates that need their ids.</summary>
    public IReadOnlyDictionary<string, int> AddedTokens => _parts.AddedTokens;

    public int CountTokens(string text) => Walk(TextSanitizer.ReplaceLoneSurrogates(text), ids: null);

    public IReadOnlyList<int> EncodeToIds(string text)
    {
        var ids = new List<int>();
        Walk(TextSanitizer.ReplaceLoneSurrogates(text), ids);
        return ids;
    }

    private int Walk(string text, List<int>? ids)
    {
        var total = 0;
        var from = 0;
        while (from < text.Length)
        {
            var found = _parts.RawTokens.TryFind(text, from, out var at, out var token);
            var end = found ? at : text.Length;
            if (end > from)
            {
                total += ids is not null || _cache is null ? CountNormalized(text[from..end], ids)
                    : _cache.GetOrCount(_cacheId, text.AsSpan(from, end - from), (this, text, from, end), static s => s.Item1.CountNormalized(s.text[s.from..s.end], null));
            }

            if (!found)
            {
                break;
            }

            total++;
            ids?.Add(token!.Id);
            from = at + token!.Content.Length;
        }

        return total;
    }

    private int CountNormalized(string segment, List<int>? ids)
    {
        var text = _parts.SentencePiece ? SentencePieceSymbols.Normalize(segment, _parts.PrependSpace)
            : _parts.Nfc ? NfcNormalizer.Normalize(segment) : segment;
        if (_parts.NormalizedTokens.IsEmpty)
        {
            return CountPlain(text, 0, text.Length, ids);
        }

        var total = 0;
        var from = 0;
        while (from < text.Length)
        {
            var found = _parts.NormalizedTokens.TryFind(text, from, out var at, out var token);
            var end = found ? at : text.Length;
            total += CountPlain(text, from, end, ids);
            if (!found)
            {
                break;
            }

            total++;
            ids?.Add(token!.Id);
            from = at + token!.Content.Length;
        }

        return total;
    }

    private int CountPlain(string text, int start, int end, List<int>? ids) =>
        end <= start ? 0 : CountPieces(text.AsSpan(start, end - start), ids);

    private int CountPieces(ReadOnlySpan<char> text, List<int>? ids)
    {
        if (_parts.SentencePiece)
        {
            return SentencePieceSymbols.Count(text, _parts, ids);
        }

        var pieces = PieceLists.Rent();
        _parts.Splitter.Split(text, pieces);
        var total = 0;
        foreach (var range in pieces)
        {
            var piece = text[range];
            if (ids is null)
            {
                total += _pieces.GetOrCount(piece, _countPiece);
            }
            else if (_parts.IgnoreMerges && TryWholeWord(piece, out var id))
            {
                total++;
                ids.Add(id);
            }
            else
            {
                total += HeapBpe.Count(piece, _parts.Ranks, ids);
            }
        }

        PieceLists.Return(pieces);
        return total;
    }

    private int CountPiece(ReadOnlySpan<char> piece) =>
        _parts.IgnoreMerges && TryWholeWord(piece, out _) ? 1 : HeapBpe.Count(piece, _parts.Ranks, null);

    /// <summary><c>ignore_merges</c>: a pre-token spelled in the vocabulary is one token, whatever the merges say.</summary>
    private bool TryWholeWord(ReadOnlySpan<char> piece, out int id)
    {
        var byteCount = Encoding.UTF8.GetByteCount(piece);
        if (byteCount > 256 || _vocab is not { } vocab)
        {
            id = 0;
            return false;
        }

        Span<byte> bytes = stackalloc byte[byteCount];
        Encoding.UTF8.GetBytes(piece, bytes);
        Span<char> spelled = stackalloc char[byteCount];
        ByteLevelAlphabet.Spell(bytes, spelled);
        return vocab.TryGetValue(spelled, out id);
    }
}
