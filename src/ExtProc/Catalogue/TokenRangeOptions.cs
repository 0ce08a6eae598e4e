namespace AiSidecar.ExtProc.Catalogue;

/// <summary>One token range: prompts of at most <see cref="MaxTokens"/> tokens go to <see cref="Pool"/>.</summary>
internal sealed class TokenRangeOptions
{
    /// <summary>The range's name, set in the token-range header (for example <c>small</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>Inclusive upper bound; unset on the last range, which takes everything larger.</summary>
    public int? MaxTokens { get; set; }

    /// <summary>The pool set in the pool header when the request's model has no versions (a version names its own pool).</summary>
    public string Pool { get; set; } = "";
}
