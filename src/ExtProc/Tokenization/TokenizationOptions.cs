using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>Options of the <c>tokenization</c> config section: the per-model tokenizer registry.</summary>
public sealed class TokenizationOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "tokenization";

    /// <summary>The default tokenizer, for unmapped models and as the fallback: <c>o200k_base</c> (default) or <c>cl100k_base</c>.</summary>
    [Required]
    [AllowedValues("o200k_base", "cl100k_base")]
    public string Encoding { get; set; } = "o200k_base";

    /// <summary>The default tokenizer's chat format; only <c>openai</c> (default) suits a tiktoken encoding.</summary>
    [AllowedValues("openai")]
    public string DefaultTemplate { get; set; } = "openai";

    /// <summary>Models mapped to their own tokenizer and chat template, first match wins (default: none).</summary>
    public List<ModelTokenizerOptions> Models { get; set; } = [];

    /// <summary>When tokenizer files load: <c>Lazy</c> (default, on the model's first request) or <c>Eager</c> (at start, before ready).</summary>
    public TokenizerLoading Loading { get; set; } = TokenizerLoading.Lazy;

    /// <summary>Seconds between checks of tokenizer files for changes, which reload them; 0 turns reloading off (default 10).</summary>
    [Range(0, 86400)]
    public int ReloadCheckSeconds { get; set; } = 10;

    /// <summary>When true, a request for a model whose tokenizer failed to load is refused instead of counted with the fallback (default false).</summary>
    public bool RefuseOnLoadFailure { get; set; }

    /// <summary>Text segments whose counts are cached (message contents, template pieces); 0 turns the cache off (default 65536).</summary>
    [Range(0, 10_000_000)]
    public int CacheEntries { get; set; } = 65536;

    /// <summary>Tokens counted for each image, audio or file part (default 85, OpenAI's base cost of an image).</summary>
    [Range(0, 1_000_000)]
    public int NonTextPartTokens { get; set; } = 85;
}
