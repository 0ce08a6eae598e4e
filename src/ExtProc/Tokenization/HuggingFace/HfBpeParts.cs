namespace AiSidecar.ExtProc.Tokenization.HuggingFace;

/// <summary>What <see cref="TokenizerJsonLoader"/> read from a <c>tokenizer.json</c>.</summary>
internal sealed class HfBpeParts
{
    /// <summary>Added tokens matched on the raw text.</summary>
    public required AddedTokenMatcher RawTokens { get; init; }

    /// <summary>Added tokens matched after normalization.</summary>
    public required AddedTokenMatcher NormalizedTokens { get; init; }

    /// <summary>All added tokens by content.</summary>
    public required IReadOnlyDictionary<string, int> AddedTokens { get; init; }

    /// <summary>Whether the normalizer is NFC (else none).</summary>
    public required bool Nfc { get; init; }

    /// <summary>The pre-tokenizer: its regex splits, or the equivalent scanner (<see cref="GptPreTokenizer"/>).</summary>
    public required IPreTokenizer Splitter { get; init; }

    /// <summary>The model's vocabulary (byte-level spelling, or SentencePiece's); kept for <see cref="IgnoreMerges"/> and SentencePiece files.</summary>
    public required Dictionary<string, int>? Vocabulary { get; init; }

    /// <summary>Merge ranks by symbol pair, for long pieces.</summary>
    public required MergeRanks Ranks { get; init; }

    /// <summary>Special tokens the engine adds around a plain prompt (<see cref="PromptSpecialTokenCount"/>).</summary>
    public required int PromptSpecialTokens { get; init; }

    /// <summary>A SentencePiece-style file (<c>byte_fallback</c>, no pre-tokenizer): see <see cref="SentencePieceSymbols"/>.</summary>
    public bool SentencePiece { get; init; }

    /// <summary>Which initial symbols a merge can join, for SentencePiece files; null otherwise.</summary>
    public SymbolJoins? Joins { get; init; }

    /// <summary>The SentencePiece normalizer prepends "▁" to each segment.</summary>
    public bool PrependSpace { get; init; }

    /// <summary><c>ignore_merges</c>: a pre-token found in the vocabulary is one token.</summary>
    public required bool IgnoreMerges { get; init; }
}
