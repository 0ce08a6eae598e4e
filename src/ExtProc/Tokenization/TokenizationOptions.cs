using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// Options of the <c>tokenization</c> section: how tokenizers load and count. Which model uses which tokenizer is
/// in the catalogue (<c>catalogue.models[].tokenizer</c>).
/// </summary>
internal sealed class TokenizationOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "tokenization";

    /// <summary>The default tokenizer (models without one of their own, unknown models) and the fallback of a tokenizer that fails to load. Default <c>o200k_base</c>.</summary>
    public TiktokenEncoding Encoding { get; set; } = TiktokenEncoding.O200kBase;

    /// <summary>When tokenizer files load: <c>Lazy</c> (default, on the model's first request) or <c>Eager</c> (at start and on reload, before use).</summary>
    public TokenizerLoading Loading { get; set; } = TokenizerLoading.Lazy;

    /// <summary>When true, a request for a model whose tokenizer failed to load is refused (503) instead of counted with the fallback. Default false.</summary>
    public bool RefuseOnLoadFailure { get; set; }

    /// <summary>Text segments whose counts are cached (message contents, template pieces); 0 turns the cache off. Default 65536.</summary>
    [Range(0, 10_000_000)]
    public int CacheEntries { get; set; } = 65536;

    /// <summary>
    /// The longest pre-token merged exactly, in UTF-8 bytes. A longer one (a run of letters, spaces or punctuation with
    /// no natural split; no word of natural text comes near) is counted by an upper bound instead, and the count is
    /// flagged as not exact (docs/tokenization.md). 0 merges every pre-token, however long: exact, but one such run
    /// costs seconds of CPU and tens of bytes of memory per byte. Default 65536.
    /// </summary>
    [Range(0, 1 << 30)]
    public int MaxMergeBytes { get; set; } = 65536;

    /// <summary>Tokens counted for each image, audio or file part. Default 85, OpenAI's base cost of an image.</summary>
    [Range(0, 1_000_000)]
    public int NonTextPartTokens { get; set; } = 85;
}
