namespace AiSidecar.ExtProc.Tokenization.HuggingFace;

/// <summary>
/// A byte-level BPE tokenizer read from a Hugging Face <c>tokenizer.json</c>: added tokens are matched first (raw,
/// then normalized), the rest is normalized, split by the pre-tokenizer's regexes and merged by the file's merge
/// ranks (<see cref="HeapBpe"/>). The same steps and order as the reference.
/// </summary>
internal sealed class HfBpeTokenizer : ITextTokenizer
{
    private readonly HfBpeParts _parts;
    private readonly SegmentCountCache? _cache;
    private readonly BytePieces<MergeRanks> _pieces;
    private readonly int _cacheId = SegmentCountCache.NewTokenizerId();

    public HfBpeTokenizer(string name, HfBpeParts parts, SegmentCountCache? cache)
    {
        Name = name;
        _parts = parts;
        _cache = cache;
        _pieces = new BytePieces<MergeRanks>(parts.Ranks, parts.IgnoreMerges ? parts.Vocabulary : null);
    }

    public string Name { get; }

    public int PromptSpecialTokens => _parts.PromptSpecialTokens;

    /// <summary>The loaded parts, for tests.</summary>
    internal HfBpeParts Parts => _parts;

    /// <summary>The added tokens by content, for chat templates that need their ids.</summary>
    public IReadOnlyDictionary<string, int> AddedTokens => _parts.AddedTokens;

    public int CountTokens(string text) => CountTokens(text, CountBudget.Unlimited);

    public int CountTokens(string text, CountBudget budget) => Walk(TextSanitizer.ReplaceLoneSurrogates(text), budget, ids: null);

    public IReadOnlyList<int> EncodeToIds(string text)
    {
        var ids = new List<int>();
        Walk(TextSanitizer.ReplaceLoneSurrogates(text), CountBudget.Unlimited, ids);
        return ids;
    }

    private int Walk(string text, CountBudget budget, List<int>? ids)
    {
        var total = 0;
        var from = 0;
        while (from < text.Length)
        {
            var found = _parts.RawTokens.TryFind(text, from, out var at, out var token);
            var end = found ? at : text.Length;
            if (end > from)
            {
                total += ids is not null || _cache is null ? CountNormalized(text.AsSpan(from, end - from), budget, ids)
                    : _cache.GetOrCount(_cacheId, text.AsSpan(from, end - from), budget, (this, text, from, end, budget), static s => s.Item1.CountNormalized(s.text.AsSpan(s.from, s.end - s.from), s.budget, null));
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

    private int CountNormalized(ReadOnlySpan<char> segment, CountBudget budget, List<int>? ids)
    {
        ReadOnlySpan<char> text = _parts.SentencePiece ? SentencePieceSymbols.Normalize(segment, _parts.PrependSpace)
            : _parts.Nfc ? NfcNormalizer.Normalize(segment)
            : segment;
        if (_parts.NormalizedTokens.IsEmpty)
        {
            return CountPieces(text, budget, ids);
        }

        var total = 0;
        var from = 0;
        while (from < text.Length)
        {
            var found = _parts.NormalizedTokens.TryFind(text, from, out var at, out var token);
            var end = found ? at : text.Length;
            if (end > from)
            {
                total += CountPieces(text[from..end], budget, ids);
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

    private int CountPieces(ReadOnlySpan<char> text, CountBudget budget, List<int>? ids)
    {
        if (_parts.SentencePiece)
        {
            return SentencePieceSymbols.Count(text, _parts, budget, ids);
        }

        if (ids is not null)
        {
            var encoder = _pieces.EncodeInto(ids);
            var before = ids.Count;
            _parts.Splitter.Split(text, ref encoder);
            return ids.Count - before;
        }

        var counter = _pieces.CountWithin(budget);
        _parts.Splitter.Split(text, ref counter);
        return counter.Total;
    }
}
