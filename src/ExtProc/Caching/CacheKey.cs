using System.Text.Json;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// Whether a request may be answered from the cache, and its key: the tenant, the model, and a SHA-256 over the model
/// version and served name and the request body in canonical form (<see cref="CanonicalHash"/>), leaving out the
/// members that do not change the output (<c>user</c>, <c>stream</c>, <c>stream_options</c>, the model name the client
/// used, metadata and scheduling hints).
/// </summary>
internal static class CacheKey
{
    /// <summary>Top-level members that do not change what the model answers: left out of the hash.</summary>
    private static readonly string[] Ignored =
    [
        "model", "user", "stream", "stream_options", "metadata", "store", "service_tier", "prompt_cache_key",
        "safety_identifier", "request_id", "priority",
    ];

    /// <summary>The APIs whose answers are cached.</summary>
    public static bool Caches(ApiKind api) => api is ApiKind.ChatCompletions or ApiKind.Completions or ApiKind.Embeddings or ApiKind.Rerank;

    /// <summary>
    /// Reads <paramref name="body"/>: false when the request is not cacheable (not deterministic and not
    /// <paramref name="marked"/>, or a body the hash cannot read); else its key under <paramref name="prefix"/>.
    /// Deterministic: embeddings and rerank; chat and completions with <c>temperature: 0</c> or a <c>seed</c>, and no tools.
    /// </summary>
    public static bool TryCreate(ReadOnlyMemory<byte> body, Exchange exchange, bool marked, string prefix, out string key, out bool includeUsage)
    {
        key = "";
        includeUsage = false;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Span.StartsWith("\uFEFF"u8) ? body[3..] : body);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !(marked || Deterministic(root, exchange.Api)))
            {
                return false;
            }

            includeUsage = root.TryGetProperty("stream_options", out var options) && options.ValueKind == JsonValueKind.Object
                && options.TryGetProperty("include_usage", out var include) && include.ValueKind == JsonValueKind.True;

            var model = exchange.Model?.Name ?? exchange.Request?.Model ?? "";
            Span<char> hex = stackalloc char[64];
            using (var hash = new CanonicalHash())
            {
                try
                {
                    // One JSON array: what picks the weights and the template (the API, the model, its version, the
                    // served name), then the body without the members that do not change the answer.
                    var json = hash.Writer;
                    json.WriteStartArray();
                    json.WriteStringValue("cache/1");
                    json.WriteNumberValue((int)exchange.Api);
                    json.WriteStringValue(model);
                    json.WriteStringValue(exchange.Choice?.Version.Name);
                    json.WriteStringValue(exchange.UpstreamRequest?.Model ?? exchange.Request?.Model);
                    hash.WriteCanonical(root, IsIgnored);
                    json.WriteEndArray();
                }
                catch (InvalidOperationException)
                {
                    // A string with an unpaired surrogate escape cannot be read as text: not cached.
                    return false;
                }

                hash.Finish(hex);
            }

            var (kind, tenant) = Tenant(exchange);
            key = $"{prefix}cache:{kind}{tenant}:{model}:{hex}";
            return true;
        }
    }

    /// <summary>
    /// The cache's tenant of <paramref name="exchange"/>: <c>h</c> and the tenant header's hash (its first 32 hex
    /// digits), else <c>k</c> and the API key's, else <c>anonymous</c>. Unlike the budgets (where requests without the
    /// header share one budget, so leaving it off escapes nothing), a request without the header keeps to its API key:
    /// entries are never shared wider.
    /// </summary>
    private static (string Kind, ReadOnlyMemory<char> Hash) Tenant(Exchange exchange) =>
        exchange.Head.TenantHash is { } tenant ? ("h", tenant.AsMemory(0, 32))
        : exchange.Head.ApiKeyHash is { Length: > 0 } key ? ("k", key.AsMemory(0, 32))
        : ("anonymous", ReadOnlyMemory<char>.Empty);

    private static bool IsIgnored(JsonProperty member)
    {
        foreach (var name in Ignored)
        {
            if (member.NameEquals(name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Deterministic(JsonElement root, ApiKind api)
    {
        if (api is ApiKind.Embeddings or ApiKind.Rerank)
        {
            return true;
        }

        foreach (var tools in (ReadOnlySpan<string>)["tools", "functions"])
        {
            if (root.TryGetProperty(tools, out var value) && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0)
            {
                return false;
            }
        }

        return (root.TryGetProperty("temperature", out var temperature) && temperature.ValueKind == JsonValueKind.Number
                && temperature.TryGetDouble(out var t) && t == 0)
            || (root.TryGetProperty("seed", out var seed) && seed.ValueKind == JsonValueKind.Number);
    }
}
