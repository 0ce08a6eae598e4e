using AiSidecar.Configuration;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tokenization.HuggingFace;
using AiSidecar.ExtProc.Tokenization.Templates;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// Every tokenizer the catalogue names, one slot per source (an encoding, or a file read with one chat template),
/// shared by the catalogue's generations: a reload that keeps a tokenizer keeps it loaded. The default tokenizer
/// (<c>tokenization.encoding</c>) counts models without one of their own and stands in for a tokenizer that failed.
/// </summary>
internal sealed class TokenizerCache
{
    private readonly TokenizationOptions _options;
    private readonly ExtProcMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Dictionary<string, TokenizerSlot> _slots = new(StringComparer.Ordinal);

    public TokenizerCache(IOptions<TokenizationOptions> options, ExtProcMetrics metrics, ILogger<TokenizerCache> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        Cache = new SegmentCountCache(_options.CacheEntries);
        Default = For(null);
    }

    /// <summary>The shared per-segment count cache.</summary>
    public SegmentCountCache Cache { get; }

    /// <summary>The default tokenizer with OpenAI's chat overhead.</summary>
    public TokenizerHandle Default { get; }

    /// <summary>The handle for <paramref name="tokenizer"/> (null: the default), reusing a slot the cache already holds.</summary>
    public TokenizerHandle For(TokenizerOptions? tokenizer)
    {
        var encoding = tokenizer is null ? _options.Encoding : tokenizer.Encoding;
        var template = tokenizer?.Template ?? ChatTemplate.OpenAi;
        var format = PromptFormats.For(template);
        var file = tokenizer?.File;
        var key = file is null ? ConfigEnumNames.ToConfigName(encoding!.Value) : $"{file}#{ConfigEnumNames.ToConfigName(template)}";
        lock (_gate)
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                var name = file ?? key;
                slot = new TokenizerSlot(name, file, content => Load(encoding, file, content, format), _metrics, _logger, ConfigEnumNames.ToConfigName(_options.Encoding));
                _slots = new Dictionary<string, TokenizerSlot>(_slots, StringComparer.Ordinal) { [key] = slot };
            }

            return new TokenizerHandle(slot, format, this);
        }
    }

    /// <summary>Keeps only the slots of <paramref name="inUse"/> (and the default): called when a new catalogue replaces the old one.</summary>
    public void Retain(IEnumerable<TokenizerHandle> inUse)
    {
        var keep = inUse.Select(h => h.Slot).Append(Default.Slot).ToHashSet();
        lock (_gate)
        {
            _slots = _slots.Where(s => keep.Contains(s.Value)).ToDictionary(StringComparer.Ordinal);
        }
    }

    /// <summary>Loads every slot now (<c>loading: Eager</c>), or only the default.</summary>
    public void WarmUp()
    {
        IEnumerable<TokenizerSlot> slots = _options.Loading == TokenizerLoading.Eager ? _slots.Values : [Default.Slot];
        foreach (var slot in slots)
        {
            slot.Get();
        }
    }

    /// <summary>Each tokenizer's name and state (<c>loaded</c>, <c>not_loaded</c>, <c>failed</c>) with the error.</summary>
    public IReadOnlyList<TokenizerStatus> Describe() => [.. _slots.Values.Select(s => s.Describe())];

    /// <summary>Reloads the tokenizer files whose content changed.</summary>
    public void CheckForChanges()
    {
        foreach (var slot in _slots.Values)
        {
            slot.CheckForChange();
        }
    }

    /// <summary>Counts a fallback and returns the default's counter, or throws when the config refuses such requests.</summary>
    internal PromptCounter Fallback(TokenizerSlot failed)
    {
        _metrics.TokenizerFallback(failed.Name);
        if (_options.RefuseOnLoadFailure)
        {
            throw new TokenizerUnavailableException(failed.Name);
        }

        return Default.Counter() ?? throw new TokenizerUnavailableException(Default.Name);
    }

    internal int NonTextPartTokens => _options.NonTextPartTokens;

    internal int MaxMergeBytes => _options.MaxMergeBytes;

    private ITextTokenizer Load(TiktokenEncoding? encoding, string? file, ReadOnlyMemory<byte> content, IPromptFormat format)
    {
        if (file is null)
        {
            return TiktokenTextTokenizer.Create(encoding!.Value, Cache);
        }

        var tokenizer = TokenizerJsonLoader.Load(file, content, Cache);
        var missing = format.RequiredTokens.Where(t => !tokenizer.AddedTokens.ContainsKey(t)).ToList();
        return missing.Count == 0 ? tokenizer
            : throw new UnsupportedTokenizerException(file, $"chat template {format.Family} renders special tokens the file does not define ({string.Join(", ", missing)})");
    }
}
