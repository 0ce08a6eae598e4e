namespace AiSidecar.ExtProc.Tokenization;

/// <summary>The per-model tokenizers: their state for <c>/readyz</c>, and eager loading at start.</summary>
public interface ITokenizerRegistry
{
    /// <summary>Loads every tokenizer now when the config asks for eager loading.</summary>
    void WarmUp();

    /// <summary>Each tokenizer's name and state (<c>loaded</c>, <c>not_loaded</c>, <c>failed</c>) with the error.</summary>
    IReadOnlyList<TokenizerStatus> Describe();
}
