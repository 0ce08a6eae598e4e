namespace AiSidecar.ExtProc.Tokenization.HuggingFace;

/// <summary>An entry of <c>added_tokens</c>: matched in the text before the model sees it.</summary>
/// <param name="Content">The token's text.</param>
/// <param name="Id">The token id.</param>
/// <param name="Normalized">Whether it is matched on normalized text.</param>
internal sealed record AddedToken(string Content, int Id, bool Normalized);
