using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Routing.Registry;

/// <summary>The API names used in config (<c>chat</c>, <c>completions</c>…) and the <see cref="ApiKind"/> each means.</summary>
internal static class ApiNames
{
    public const string Allowed = "chat, completions, embeddings, rerank, responses";

    public static bool TryParse(string name, out ApiKind kind)
    {
        switch (name)
        {
            case "chat": kind = ApiKind.ChatCompletions; return true;
            case "completions": kind = ApiKind.Completions; return true;
            case "embeddings": kind = ApiKind.Embeddings; return true;
            case "rerank": kind = ApiKind.Rerank; return true;
            case "responses": kind = ApiKind.Responses; return true;
            default: kind = default; return false;
        }
    }

    public static string Of(ApiKind kind) => kind switch
    {
        ApiKind.ChatCompletions => "chat",
        ApiKind.Completions => "completions",
        ApiKind.Embeddings => "embeddings",
        ApiKind.Rerank => "rerank",
        _ => "responses",
    };

    /// <summary>The set of kinds named by <paramref name="names"/>; all kinds when the list is empty.</summary>
    public static HashSet<ApiKind> SetOf(IEnumerable<string> names)
    {
        var set = new HashSet<ApiKind>();
        foreach (var name in names)
        {
            if (TryParse(name, out var kind))
            {
                set.Add(kind);
            }
        }

        return set.Count > 0 ? set : [.. Enum.GetValues<ApiKind>()];
    }
}
