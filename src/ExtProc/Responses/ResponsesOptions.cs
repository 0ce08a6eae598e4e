using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Responses;

/// <summary>Options of the <c>responses</c> section: reading token usage from the model servers' responses (docs/configuration.md).</summary>
internal sealed class ResponsesOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "responses";

    /// <summary>
    /// Read usage from the responses to inference requests (the server asks Envoy for the response body, streamed,
    /// through <c>mode_override</c>): token usage, the count check and the GenAI metrics. Default true.
    /// </summary>
    public bool ReadUsage { get; set; } = true;

    /// <summary>
    /// The most bytes of one SSE event held back while deciding whether it is the usage chunk to remove (models with
    /// <c>usage.injectIncludeUsage</c> whose client did not ask for usage); a larger event passes unchanged. Default 65,536.
    /// </summary>
    [Range(1024, 16 << 20)]
    public int MaxHeldEventBytes { get; set; } = 64 << 10;

    /// <summary>
    /// The Envoy dynamic metadata namespace the token counts are sent under, for Envoy's rate limit filter (the
    /// decision's model, pool, prompt tokens and <c>max_tokens</c>; the usage the response reported); the filter must
    /// list it in <c>metadata_options.receiving_namespaces.untyped</c>. Default empty: no metadata is sent.
    /// </summary>
    public string DynamicMetadataNamespace { get; set; } = "";
}
