namespace AiSidecar.ExtProc.Routing.Registry;

/// <summary>Where the key that keeps a user on one variant comes from.</summary>
public sealed class StickinessOptions
{
    /// <summary>Key sources in order; the first present wins. Default: the body's <c>user</c> field.</summary>
    public List<StickyKeyOptions> Keys { get; set; } = [];

    /// <summary>
    /// Requests without any key: <c>primary</c> (default) sends them to the model's first non-canary version with
    /// weight; <c>requestId</c> hashes the <c>x-request-id</c> header instead (weighted, not sticky).
    /// </summary>
    public string NoKey { get; set; } = "primary";

    internal static List<StickyKeyOptions> DefaultKeys() => [new() { Field = "user" }];
}
