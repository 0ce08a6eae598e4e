using System.Diagnostics;
using System.Text.Json;
using AiSidecar.ExtProc.Tokenization.HuggingFace;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// One tokenizer source (an encoding or a file), loaded once on first use or at start, reloaded when its file
/// changes. A failed load is remembered, logged once and retried only when the file changes.
/// </summary>
internal sealed class TokenizerSlot(string name, string? file, Func<ITextTokenizer> load, TokenizationMetrics metrics, ILogger logger, string fallback)
{
    private readonly Lock _gate = new();
    private volatile Loaded? _current;
    private volatile string? _error;
    private FileStamp? _stamp;
    private bool _attempted;

    public string Name => name;

    /// <summary>The tokenizer, loading it on first use; null when it failed to load.</summary>
    public ITextTokenizer? Get()
    {
        if (_current is { } current)
        {
            return current.Tokenizer;
        }

        lock (_gate)
        {
            if (!_attempted)
            {
                _attempted = true;
                TryLoad(reload: false);
            }

            return _current?.Tokenizer;
        }
    }

    public TokenizerStatus Describe() =>
        _current is not null ? new TokenizerStatus(name, "loaded", _error)
        : _error is { } error ? new TokenizerStatus(name, "failed", error)
        : new TokenizerStatus(name, "not_loaded", null);

    /// <summary>Reloads the file when its size or modification time changed since the last attempt.</summary>
    public void CheckForChange()
    {
        if (file is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_attempted && !Equals(FileStamp.Of(file), _stamp))
            {
                TryLoad(reload: _current is not null);
            }
        }
    }

    private void TryLoad(bool reload)
    {
        _stamp = file is null ? null : FileStamp.Of(file);
        var watch = Stopwatch.StartNew();
        try
        {
            _current = new Loaded(load());
            _error = null;
            if (file is not null)
            {
                // Parsing a tokenizer.json leaves ~100 MB of garbage; give it back to the OS now (a rare event).
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }

            metrics.Loaded.WithLabels(name).Set(1);
            if (reload)
            {
                TokenizationLog.TokenizerReloaded(logger, name);
            }
            else
            {
                TokenizationLog.TokenizerLoaded(logger, name, watch.ElapsedMilliseconds);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or UnsupportedTokenizerException or InvalidOperationException or FormatException or ArgumentException)
        {
            _error = ex is UnsupportedTokenizerException ? ex.Message : $"{ex.GetType().Name} reading '{file ?? name}': {ex.Message}";
            metrics.LoadFailures.WithLabels(name).Inc();
            if (reload)
            {
                TokenizationLog.TokenizerReloadFailed(logger, name, _error);
            }
            else
            {
                metrics.Loaded.WithLabels(name).Set(0);
                TokenizationLog.TokenizerLoadFailed(logger, name, fallback, _error);
            }
        }
    }

    private sealed record Loaded(ITextTokenizer Tokenizer);

    private sealed record FileStamp(long Length, DateTime Modified)
    {
        public static FileStamp? Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc) : null;
        }
    }
}
