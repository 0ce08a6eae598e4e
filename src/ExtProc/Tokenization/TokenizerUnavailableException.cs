namespace AiSidecar.ExtProc.Tokenization;

/// <summary>A model's tokenizer failed to load and <c>tokenization.refuseOnLoadFailure</c> is set.</summary>
internal sealed class TokenizerUnavailableException(string tokenizer)
    : Exception($"Tokenizer {tokenizer} is not available.")
{
    /// <summary>The tokenizer that failed.</summary>
    public string Tokenizer { get; } = tokenizer;
}
