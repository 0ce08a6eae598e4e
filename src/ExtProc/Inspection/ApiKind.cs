using System.ComponentModel;
using AiSidecar.Configuration;

namespace AiSidecar.ExtProc.Inspection;

/// <summary>The OpenAI-compatible APIs the server inspects.</summary>
[TypeConverter(typeof(ConfigEnumConverter<ApiKind>))]
internal enum ApiKind
{
    /// <summary><c>POST /v1/chat/completions</c>.</summary>
    [ConfigName("chat")]
    ChatCompletions,

    /// <summary><c>POST /v1/completions</c>.</summary>
    [ConfigName("completions")]
    Completions,

    /// <summary><c>POST /v1/embeddings</c>.</summary>
    [ConfigName("embeddings")]
    Embeddings,

    /// <summary><c>POST /v1/responses</c>.</summary>
    [ConfigName("responses")]
    Responses,

    /// <summary><c>POST /v1/rerank</c> or <c>POST /rerank</c> (vLLM, TEI, Cohere-style).</summary>
    [ConfigName("rerank")]
    Rerank,
}
