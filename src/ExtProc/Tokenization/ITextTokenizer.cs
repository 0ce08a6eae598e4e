namespace AiSidecar.ExtProc.Tokenization;

/// <summary>One loaded tokenizer: turns text into token ids exactly as its reference implementation does.</summary>
internal interface ITextTokenizer
{
    /// <summary>A display name: the encoding name or the tokenizer file.</summary>
    string Name { get; }

    /// <summary>Special tokens the engine adds around a plain prompt (completions, embeddings): BOS for Llama 3.</summary>
    int PromptSpecialTokens { get; }

    /// <summary>
    /// Counts the tokens of <paramref name="text"/> (special-token rule: see docs/tokenization.md) within
    /// <paramref name="budget"/>: exactly, or, where the budget bounded a piece, an upper bound (<see cref="CountBudget.Exact"/>).
    /// </summary>
    /// <exception cref="OperationCanceledException">The budget's cancellation fired; the count stopped.</exception>
    int CountTokens(string text, CountBudget budget);

    /// <summary>Counts the tokens of <paramref name="text"/> exactly, however long it takes: diagnostics and tests.</summary>
    int CountTokens(string text);

    /// <summary>Encodes <paramref name="text"/>, for diagnostics and golden tests.</summary>
    IReadOnlyList<int> EncodeToIds(string text);
}
