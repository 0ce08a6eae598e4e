namespace AiSidecar.ExtProc.Inspection;

/// <summary>The OpenAI-compatible APIs the server inspects.</summary>
internal enum ApiKind
{
    /// <summary><c>POST /v1/chat/completions</c>.</summary>
    ChatCompletions,

    /// <summary><c>POST /v1/completions</c>.</summary>
    Completions,

    /// <summary><c>POST /v1/embeddings</c>.</summary>
    Embeddings,

    /// <summary><c>POST /v1/responses</c>.</summary>
    Responses,

    /// <summary><c>POST /v1/rerank</c> or <c>POST /rerank</c> (vLLM, TEI, Cohere-style).</summary>
    Rerank,
}
