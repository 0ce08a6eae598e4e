namespace AiSidecar.ExtProc.Inspection;

/// <summary>
/// Maps a request's method and path to the API it calls. The shipped Envoy and Istio configs send a request to a model
/// pool only when its normalized path is exactly one of <see cref="Paths"/> and its method is <c>POST</c>; the server
/// inspects every request they would route there and more: any spelling of those paths that some proxy or model
/// server might still take for them (see <see cref="Canonical"/>), with <c>POST</c> in any case or any method that
/// carries a body. So a request the server passes through is never one the shipped configs send to a pool.
/// </summary>
internal static class InferenceRoutes
{
    /// <summary>The inference paths, as the shipped Envoy and Istio configs match them, and the API each calls.</summary>
    public static IReadOnlyList<KeyValuePair<string, ApiKind>> Paths { get; } =
    [
        new("/v1/chat/completions", ApiKind.ChatCompletions),
        new("/v1/completions", ApiKind.Completions),
        new("/v1/embeddings", ApiKind.Embeddings),
        new("/v1/responses", ApiKind.Responses),
        new("/v1/rerank", ApiKind.Rerank),
        new("/rerank", ApiKind.Rerank),
    ];

    /// <summary>Returns the API a request calls, or false when it is not an inference request (it passes through).</summary>
    /// <param name="method">The <c>:method</c>: <c>POST</c> in any case, or any method when <paramref name="hasBody"/>.</param>
    /// <param name="path">The <c>:path</c>; its query and fragment are ignored and the rest is compared in canonical form.</param>
    /// <param name="hasBody">True when a body follows the headers (a body on an inference path is a prompt, whatever the method).</param>
    /// <param name="kind">The API called.</param>
    public static bool TryMatch(string? method, string? path, bool hasBody, out ApiKind kind)
    {
        kind = default;
        if (string.IsNullOrEmpty(path) || !(hasBody || string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var end = path.AsSpan().IndexOfAny('?', '#');
        var route = end < 0 ? path.AsSpan() : path.AsSpan(0, end);

        // Envoy hands over the normalized path, so the exact spelling is the common case: no allocation for it.
        return Find(route, out kind) || Find(Canonical(route), out kind);
    }

    /// <summary>
    /// The path as the server compares it, whatever proxy normalization ran before: percent-escapes decoded once
    /// (<c>%2F</c> included), <c>\</c> read as <c>/</c>, <c>;parameters</c> dropped from every segment, empty and
    /// <c>.</c> segments dropped (merged and trailing slashes), <c>..</c> removing the segment before. Compared
    /// case-insensitively.
    /// </summary>
    internal static string Canonical(ReadOnlySpan<char> path)
    {
        var decoded = path.Contains('%') ? Uri.UnescapeDataString(path.ToString()) : path.ToString();
        var segments = new List<Range>();
        foreach (var range in decoded.AsSpan().SplitAny('/', '\\'))
        {
            var segment = decoded.AsSpan(range);
            var parameters = segment.IndexOf(';');
            var name = parameters < 0 ? range : new Range(range.Start, range.Start.Value + parameters);
            switch (decoded.AsSpan(name))
            {
                case "" or ".":
                    break;
                case "..":
                    if (segments.Count > 0)
                    {
                        segments.RemoveAt(segments.Count - 1);
                    }

                    break;
                default:
                    segments.Add(name);
                    break;
            }
        }

        return segments.Count == 0 ? "/" : string.Concat(segments.Select(s => "/" + decoded[s]));
    }

    private static bool Find(ReadOnlySpan<char> route, out ApiKind kind)
    {
        foreach (var (path, api) in Paths)
        {
            if (route.Equals(path, StringComparison.OrdinalIgnoreCase))
            {
                kind = api;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
