using System.Diagnostics;
using System.Text.Json;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tokenization.HuggingFace;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// One tokenizer source (an encoding, or a file read with one chat template), loaded once on first use or eagerly,
/// reloaded when its file's content changes. A failed load is remembered, logged once and retried only when the
/// file changes.
/// </summary>
internal sealed class TokenizerSlot
{
    private readonly Func<ReadOnlyMemory<byte>, ITextTokenizer> _load;
    private readonly ExtProcMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string _fallback;
    private readonly WatchedFile? _file;
    private readonly Lock _gate = new();
    private volatile ITextTokenizer? _current;
    private volatile string? _error;
    private bool _attempted;

    /// <param name="name">The encoding name or file path: the metric label and the <c>/readyz</c> name.</param>
    /// <param name="file">The tokenizer file; null for a built-in encoding.</param>
    /// <param name="load">Builds the tokenizer from the file's content (empty for an encoding).</param>
    /// <param name="metrics">Load metrics.</param>
    /// <param name="logger">Load logs.</param>
    /// <param name="fallback">The default tokenizer's name, for the failure log.</param>
    public TokenizerSlot(string name, string? file, Func<ReadOnlyMemory<byte>, ITextTokenizer> load, ExtProcMetrics metrics, ILogger logger, string fallback)
    {
        Name = name;
        _load = load;
        _metrics = metrics;
        _logger = logger;
        _fallback = fallback;
        _file = file is null ? null : new WatchedFile(file);
    }

    public string Name { get; }

    /// <summary>The tokenizer, loading it on first use; null when it failed to load.</summary>
    public ITextTokenizer? Get()
    {
        if (_current is { } current)
        {
            return current;
        }

        lock (_gate)
        {
            if (!_attempted)
            {
                _attempted = true;
                TryLoad(reload: false);
            }

            return _current;
        }
    }

    public TokenizerStatus Describe() =>
        _current is not null ? new TokenizerStatus(Name, "loaded", _error)
        : _error is { } error ? new TokenizerStatus(Name, "failed", error)
        : new TokenizerStatus(Name, "not_loaded", null);

    /// <summary>Reloads a file whose content changed since it was last read; nothing before the first use.</summary>
    public void CheckForChange()
    {
        lock (_gate)
        {
            if (_file is not null && _attempted)
            {
                TryLoad(reload: _current is not null);
            }
        }
    }

    /// <summary>Loads (or reloads) under the lock; an unchanged file is left as it is.</summary>
    private void TryLoad(bool reload)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var content = ReadOnlyMemory<byte>.Empty;
            if (_file is not null)
            {
                if (!_file.HasChanged(out var bytes))
                {
                    return;
                }

                content = bytes;
            }

            _current = _load(content);
            _error = null;
            if (_file is not null)
            {
                // Parsing a tokenizer.json leaves ~100 MB of garbage; give it back to the OS now (a rare event).
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }

            _metrics.TokenizerLoaded(Name, loaded: true);
            if (reload)
            {
                TokenizationLog.TokenizerReloaded(_logger, Name);
            }
            else
            {
                TokenizationLog.TokenizerLoaded(_logger, Name, watch.ElapsedMilliseconds);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or UnsupportedTokenizerException or InvalidOperationException or FormatException or ArgumentException)
        {
            _error = ex is UnsupportedTokenizerException ? ex.Message : $"{ex.GetType().Name} reading '{_file?.Path ?? Name}': {ex.Message}";
            _metrics.TokenizerLoadFailed(Name);
            if (reload)
            {
                TokenizationLog.TokenizerReloadFailed(_logger, Name, _error);
            }
            else
            {
                _metrics.TokenizerLoaded(Name, loaded: false);
                TokenizationLog.TokenizerLoadFailed(_logger, Name, _fallback, _error);
            }
        }
    }
}
