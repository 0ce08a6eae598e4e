namespace AiSidecar.ExtProc.Tokenization;

/// <summary>A request's prompt token count.</summary>
/// <param name="Tokens">The count.</param>
/// <param name="Exact">
/// False when some pre-tokens were longer than the merge budget allows and were counted by their upper bound: the
/// count is then at least the exact one, never less.
/// </param>
internal readonly record struct PromptCount(int Tokens, bool Exact);
