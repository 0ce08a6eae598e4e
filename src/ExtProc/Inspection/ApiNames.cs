namespace AiSidecar.ExtProc.Inspection;

/// <summary>The API names config and messages use: <c>chat</c>, <c>completions</c>, <c>embeddings</c>, <c>rerank</c>, <c>responses</c>.</summary>
internal static class ApiNames
{
    public static string Of(ApiKind kind) => kind switch
    {
        ApiKind.ChatCompletions => "chat",
        ApiKind.Completions => "completions",
        ApiKind.Embeddings => "embeddings",
        ApiKind.Rerank => "rerank",
        _ => "responses",
    };
}
