namespace AiSidecar.ExtProc.Tokenization;

/// <summary>The pre-tokenizer patterns of OpenAI's tiktoken encodings.</summary>
internal static class TiktokenPatterns
{
    private const string Contractions = "(?i:'s|'t|'re|'ve|'m|'ll|'d)";

    public const string Cl100kBase =
        Contractions + @"|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Qwen2 and Qwen3's pattern (their tokenizer.json): cl100k_base's with one digit per number group.</summary>
    public const string Qwen2 =
        Contractions + @"|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public const string O200kBase =
        @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+" + Contractions + "?"
        + @"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*" + Contractions + "?"
        + @"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public static string For(TiktokenEncoding encoding) => encoding == TiktokenEncoding.Cl100kBase ? Cl100kBase : O200kBase;
}
