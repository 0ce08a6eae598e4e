namespace AiSidecar.ExtProc.Routing;

/// <summary>Where a request goes, expressed as the headers the data plane routes on.</summary>
/// <param name="Model">The requested model, if any.</param>
/// <param name="PromptTokens">The prompt's token count.</param>
/// <param name="TokenRange">The token range's name.</param>
/// <param name="Pool">The chosen pool.</param>
/// <param name="MediaParts">Image, audio and file parts in the prompt, whose tokens are estimated by rule.</param>
public sealed record RoutingDecision(string? Model, int PromptTokens, string TokenRange, string Pool, int MediaParts = 0);
