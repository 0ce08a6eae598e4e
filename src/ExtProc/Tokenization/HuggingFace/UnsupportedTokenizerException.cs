namespace AiSidecar.ExtProc.Tokenization.HuggingFace;

/// <summary>A tokenizer file the server cannot reproduce exactly, so refuses to load rather than approximate.</summary>
internal sealed class UnsupportedTokenizerException(string file, string part)
    : Exception($"Tokenizer file '{file}' is not supported: {part}.")
{
    /// <summary>The file that was refused.</summary>
    public string File { get; } = file;

    /// <summary>The part of the file that cannot be reproduced exactly.</summary>
    public string Part { get; } = part;
}
