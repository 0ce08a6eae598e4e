namespace AiSidecar.ExtProc.Tokenization;

/// <summary>One tokenizer's state, for <c>/readyz</c>.</summary>
/// <param name="Tokenizer">The encoding name or file path.</param>
/// <param name="State"><c>loaded</c>, <c>not_loaded</c> or <c>failed</c>.</param>
/// <param name="Error">Why it failed, when it did.</param>
internal sealed record TokenizerStatus(string Tokenizer, string State, string? Error);
