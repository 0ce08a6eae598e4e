using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Runtime.InteropServices;
using System.Text.Json;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// Whether a request may be answered from the cache, and its key: the tenant, the model, and a SHA-256 over the model
/// version and served name and the request body in canonical form (members sorted, strings unescaped, numbers by
/// value), leaving out the members that do not change the output (<c>user</c>, <c>stream</c>, <c>stream_options</c>,
/// the model name the client used, metadata and scheduling hints).
/// </summary>
internal static class CacheKey
{
    /// <summary>Top-level members that do not change what the model answers: left out of the hash.</summary>
    private static readonly string[] Ignored =
    [
        "model", "user", "stream", "stream_options", "metadata", "store", "service_tier", "prompt_cache_key",
        "safety_identifier", "request_id", "priority",
    ];

    private static readonly JsonWriterOptions CanonicalWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

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
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var writer = new HashingWriter(hash);
            try
            {
                // One JSON array: what picks the weights and the template (the API, the model, its version, the served
                // name), then the body in canonical form.
                using var json = new Utf8JsonWriter(writer, CanonicalWriter);
                json.WriteStartArray();
                json.WriteStringValue("cache/1");
                json.WriteNumberValue((int)exchange.Api);
                json.WriteStringValue(model);
                json.WriteStringValue(exchange.Choice?.Version.Name);
                json.WriteStringValue(exchange.UpstreamRequest?.Model ?? exchange.Request?.Model);
                WriteCanonical(json, root, topLevel: true);
                json.WriteEndArray();
            }
            catch (InvalidOperationException)
            {
                // A string with an unpaired surrogate escape cannot be read as text: not cached.
                return false;
            }
            finally
            {
                writer.Dispose();
            }

            Span<byte> digest = stackalloc byte[32];
            Span<char> hex = stackalloc char[64];
            hash.TryGetHashAndReset(digest, out _);
            Convert.TryToHexStringLower(digest, hex, out _);
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

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element, bool topLevel = false)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = ArrayPool<JsonProperty>.Shared.Rent(element.GetPropertyCount());
                var count = 0;
                foreach (var member in element.EnumerateObject())
                {
                    if (!topLevel || !IsIgnored(member))
                    {
                        members[count++] = member;
                    }
                }

                var sorted = members.AsSpan(0, count);
                sorted.Sort(static (a, b) => JsonMarshal.GetRawUtf8PropertyName(a).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(b)));
                writer.WriteStartObject();
                foreach (var member in sorted)
                {
                    // A name without escapes is its own UTF-8; an escaped one (rare) is unescaped first.
                    var name = JsonMarshal.GetRawUtf8PropertyName(member);
                    if (name.IndexOf((byte)'\\') < 0)
                    {
                        writer.WritePropertyName(name);
                    }
                    else
                    {
                        writer.WritePropertyName(member.Name);
                    }

                    WriteCanonical(writer, member.Value);
                }

                writer.WriteEndObject();
                sorted.Clear();
                ArrayPool<JsonProperty>.Shared.Return(members);
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                // Text is hashed as its UTF-8: as it lies when it has no escapes, else unescaped into a pooled buffer
                // (never longer than the escaped form), so both spellings hash alike and no string is made.
                var raw = JsonMarshal.GetRawUtf8Value(element);
                if (raw[1..^1].IndexOf((byte)'\\') < 0)
                {
                    writer.WriteStringValue(raw[1..^1]);
                    break;
                }

                var reader = new Utf8JsonReader(raw);
                reader.Read();
                var text = ArrayPool<byte>.Shared.Rent(raw.Length);
                writer.WriteStringValue(text.AsSpan(0, reader.CopyString(text)));
                ArrayPool<byte>.Shared.Return(text);
                break;
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var integer))
                {
                    writer.WriteNumberValue(integer);
                }
                else if (element.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    writer.WriteNumberValue(number == 0 ? 0 : number);
                }
                else
                {
                    writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                }

                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>Feeds what the JSON writer writes to the hash, through one pooled buffer.</summary>
    private sealed class HashingWriter(IncrementalHash hash) : IBufferWriter<byte>, IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);

        public void Advance(int count) => hash.AppendData(_buffer, 0, count);

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Grow(sizeHint);
            return _buffer;
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Grow(sizeHint);
            return _buffer;
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

        private void Grow(int sizeHint)
        {
            if (sizeHint > _buffer.Length)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(sizeHint);
            }
        }
    }
}
