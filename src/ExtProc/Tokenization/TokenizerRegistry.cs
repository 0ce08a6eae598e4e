using System.Text.RegularExpressions;
using AiSidecar.ExtProc.Tokenization.HuggingFace;
using AiSidecar.ExtProc.Tokenization.Templates;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// Maps a request's model to its tokenizer and chat format: exact names and aliases first, then glob patterns in
/// config order, else the default. A model whose tokenizer failed to load is counted with the default (fallback).
/// </summary>
internal sealed class TokenizerRegistry : ITokenizerRegistry, IDisposable
{
    private readonly TokenizationOptions _options;
    private readonly TokenizationMetrics _metrics;
    private readonly Dictionary<string, Entry> _exact = new(StringComparer.Ordinal);
    private readonly List<(Regex Pattern, Entry Entry)> _globs = [];
    private readonly List<TokenizerSlot> _slots = [];
    private readonly Entry _default;
    private readonly ITimer? _reloadTimer;

    public TokenizerRegistry(IOptions<TokenizationOptions> options, TokenizationMetrics metrics, ILogger<TokenizerRegistry> logger, TimeProvider time)
    {
        _options = options.Value;
        _metrics = metrics;
        Cache = new SegmentCountCache(_options.CacheEntries);
        var fallback = _options.Encoding;
        var slots = new Dictionary<string, TokenizerSlot>(StringComparer.Ordinal);
        TokenizerSlot SlotFor(string? encoding, string? file, IPromptFormat format)
        {
            var key = file is null ? encoding! : $"{file}#{format.Family}";
            if (!slots.TryGetValue(key, out var slot))
            {
                slot = new TokenizerSlot(file ?? encoding!, file, () => Load(encoding, file, format), metrics, logger, fallback);
                slots[key] = slot;
                _slots.Add(slot);
            }

            return slot;
        }

        var defaultFormat = PromptFormats.For(_options.DefaultTemplate) ?? new OpenAiFormat();
        _default = new Entry(SlotFor(_options.Encoding, null, defaultFormat), defaultFormat, _options.NonTextPartTokens);
        foreach (var model in _options.Models)
        {
            var format = PromptFormats.For(model.Template) ?? new OpenAiFormat();
            var entry = new Entry(SlotFor(model.Encoding, model.File, format), format, _options.NonTextPartTokens);
            foreach (var match in model.Match)
            {
                if (match.AsSpan().IndexOfAny('*', '?') < 0)
                {
                    _exact.TryAdd(match, entry);
                }
                else
                {
                    _globs.Add((Glob(match), entry));
                }
            }
        }

        if (_options.ReloadCheckSeconds > 0 && _options.Models.Any(m => m.File is not null))
        {
            var period = TimeSpan.FromSeconds(_options.ReloadCheckSeconds);
            _reloadTimer = time.CreateTimer(_ => CheckForChanges(), null, period, period);
        }
    }

    /// <summary>The shared per-segment count cache.</summary>
    public SegmentCountCache Cache { get; }

    /// <summary>The default tokenizer's name.</summary>
    public string DefaultName => _default.Slot.Name;

    /// <summary>The counter for <paramref name="model"/>: its own, or the fallback when its tokenizer is unavailable.</summary>
    /// <exception cref="TokenizerUnavailableException">The tokenizer failed and the config refuses such requests.</exception>
    public PromptCounter Resolve(string? model)
    {
        var entry = Find(model);
        if (entry.Counter() is { } counter)
        {
            return counter;
        }

        _metrics.Fallbacks.WithLabels(entry.Slot.Name).Inc();
        if (_options.RefuseOnLoadFailure)
        {
            throw new TokenizerUnavailableException(entry.Slot.Name);
        }

        return _default.Counter() ?? throw new TokenizerUnavailableException(_default.Slot.Name);
    }

    public void WarmUp()
    {
        var slots = _options.Loading == TokenizerLoading.Eager ? _slots : [_default.Slot];
        foreach (var slot in slots)
        {
            slot.Get();
        }
    }

    public IReadOnlyList<TokenizerStatus> Describe() => [.. _slots.Select(s => s.Describe())];

    public void CheckForChanges()
    {
        foreach (var slot in _slots)
        {
            slot.CheckForChange();
        }
    }

    public void Dispose() => _reloadTimer?.Dispose();

    private Entry Find(string? model)
    {
        if (model is null)
        {
            return _default;
        }

        if (_exact.TryGetValue(model, out var entry))
        {
            return entry;
        }

        foreach (var (pattern, globEntry) in _globs)
        {
            if (pattern.IsMatch(model))
            {
                return globEntry;
            }
        }

        return _default;
    }

    private ITextTokenizer Load(string? encoding, string? file, IPromptFormat format)
    {
        if (file is null)
        {
            return TiktokenTextTokenizer.Create(encoding!, Cache);
        }

        var tokenizer = TokenizerJsonLoader.Load(file, Cache);
        var missing = format.RequiredTokens.Where(t => !tokenizer.AddedTokens.ContainsKey(t)).ToList();
        return missing.Count == 0 ? tokenizer
            : throw new UnsupportedTokenizerException(file, $"chat template {format.Family} renders special tokens the file does not define ({string.Join(", ", missing)})");
    }

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private sealed class Entry(TokenizerSlot slot, IPromptFormat format, int nonTextPartTokens)
    {
        private PromptCounter? _counter;

        public TokenizerSlot Slot => slot;

        public PromptCounter? Counter()
        {
            if (slot.Get() is not { } tokenizer)
            {
                return null;
            }

            var counter = _counter;
            if (counter is null || !ReferenceEquals(counter.Tokenizer, tokenizer))
            {
                counter = new PromptCounter(tokenizer, format, nonTextPartTokens);
                _counter = counter;
            }

            return counter;
        }
    }
}
