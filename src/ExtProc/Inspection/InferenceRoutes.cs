namespace AiSidecar.ExtProc.Inspection;

/// <summary>Maps a request's method and path to the API it calls.</summary>
internal static class InferenceRoutes
{
    /// <summary>Returns the API a <c>POST</c> to <paramref name="path"/> calls; the query string is ignored.</summary>
    public static bool TryMatch(string? method, string? path, out ApiKind kind)
    {
        kind = default;
        if (!string.Equals(method, "POST", StringComparison.Ordinal) || string.IsNullOrEmpty(path))
        {
            return false;
        }

        var end = path.IndexOfAny(['?', '#']);
        var route = end < 0 ? path.AsSpan() : path.AsSpan(0, end);
        switch (route)
        {
            case "/v1/chat/completions": kind = ApiKind.ChatCompletions; return true;
            case "/v1/completions": kind = ApiKind.Completions; return true;
            case "/v1/embeddings": kind = ApiKind.Embeddings; return true;
            case "/v1/responses": kind = ApiKind.Responses; return true;
            case "/v1/rerank" or "/rerank": kind = ApiKind.Rerank; return true;
            default: return false;
        }
    }
}
