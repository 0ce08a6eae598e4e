namespace AiSidecar.ExtProc.Routing;

/// <summary>Where the key that keeps a user on one version comes from (<c>routing.stickiness</c>).</summary>
internal sealed class StickinessOptions
{
    /// <summary>Key sources in order; the first present wins. Default: the body's <c>user</c> field.</summary>
    public List<StickyKeyOptions> Keys { get; set; } = [];

    /// <summary>
    /// Requests without any key: <c>primary</c> (default) sends them to the model's first non-canary version with
    /// weight; <c>requestId</c> hashes the <c>x-request-id</c> header instead (weighted, not sticky).
    /// </summary>
    public NoKeyRule NoKey { get; set; } = NoKeyRule.Primary;

    internal static List<StickyKeyOptions> DefaultKeys() => [new() { Field = StickyKeyField.User }];
}
