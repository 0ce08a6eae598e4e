namespace AiSidecar.ExtProc.Routing;

/// <summary>The compiled stickiness rule: the key sources in order, and what a request without a key hashes instead.</summary>
internal sealed class StickyKeys(StickinessOptions options)
{
    /// <summary>Envoy's request id, hashed with <c>noKey: requestId</c>.</summary>
    public const string RequestIdHeader = "x-request-id";

    private readonly StickyKeyOptions[] _keys = [.. options.Keys];

    /// <summary>Whether requests without a key are hashed by their request id (weighted, not sticky).</summary>
    public bool HashRequestId { get; } = options.NoKey == NoKeyRule.RequestId;

    /// <summary>The request headers the rule reads.</summary>
    public IEnumerable<string> Headers =>
        _keys.Where(k => k.Header is not null).Select(k => k.Header!).Concat(HashRequestId ? [RequestIdHeader] : []);

    /// <summary>The first key present: a header's value or the body's <c>user</c>; else the request id when hashed; else null.</summary>
    public string? Find(CapturedHeaders headers, string? user)
    {
        foreach (var source in _keys)
        {
            var value = source.Header is { } header ? headers.Get(header) : user;
            if (!string.IsNullOrEmpty(value))
            {
                return value;
            }
        }

        return HashRequestId && headers.Get(RequestIdHeader) is { Length: > 0 } id ? id : null;
    }
}
