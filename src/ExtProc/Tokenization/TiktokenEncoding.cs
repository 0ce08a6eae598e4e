namespace AiSidecar.ExtProc.Tokenization;

/// <summary>The tiktoken encodings whose data ships with the server (Microsoft.ML.Tokenizers data packages).</summary>
internal enum TiktokenEncoding
{
    /// <summary><c>o200k_base</c>: GPT-4o, GPT-4.1, o-series.</summary>
    O200kBase,

    /// <summary><c>cl100k_base</c>: GPT-4, GPT-3.5.</summary>
    Cl100kBase,
}
