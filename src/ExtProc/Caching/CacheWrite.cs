using System.Buffers;
using System.Text.Json;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// One cacheable request's response on its way to the cache: read as it passes (a JSON body kept up to the entry
/// limit; an SSE stream assembled event by event, so only its text is kept) and, when it ended complete, the entry
/// to store. Created by the request stage on a miss (<see cref="Pipeline.Exchange.CacheWrite"/>); read by the response
/// stage, or given the answer the server built itself (<see cref="StoreAnsweredAsync"/>: a coalesced slice).
/// </summary>
internal sealed class CacheWrite(string key, string model, CacheRule rule, CacheWriter writer)
{
    private ArrayBufferWriter<byte>? _json;
    private StreamAssembler? _sse;

    /// <summary>The headers of a missed request's response: <c>x-ai-cache: miss</c>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = [new(CacheStage.Header, "miss")];

    /// <summary>The entry's key.</summary>
    public string Key => key;

    /// <summary>The catalogue model (the metrics' label).</summary>
    public string Model => model;

    /// <summary>The model's cache rule: TTL and entry limit.</summary>
    public CacheRule Rule => rule;

    /// <summary>Why the response is not stored, once that is known (a metric's <c>result</c>); null while it may be.</summary>
    public string? Refused { get; private set; }

    /// <summary>
    /// The response headers: reads the body when the response may be stored (200, JSON or SSE, without
    /// <c>cache-control: no-store</c> or <c>private</c>); false otherwise (<see cref="Refused"/> says why).
    /// </summary>
    public bool Begin(int? status, string? contentType, string? cacheControl)
    {
        if (status != 200)
        {
            Refused = "not_ok";
        }
        else if (cacheControl is not null && (cacheControl.Contains("no-store", StringComparison.OrdinalIgnoreCase)
            || cacheControl.Contains("private", StringComparison.OrdinalIgnoreCase)))
        {
            Refused = "no_store";
        }
        else if (contentType?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true)
        {
            _sse = new StreamAssembler(rule.MaxEntryBytes);
        }
        else if (contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            _json = new ArrayBufferWriter<byte>(4096);
        }
        else
        {
            Refused = "unsupported";
        }

        return Refused is null;
    }

    /// <summary>Reads one piece of the body (as the upstream sent it); past the entry limit the response is let go.</summary>
    public void Read(ReadOnlySpan<byte> data)
    {
        if (Refused is not null)
        {
            return;
        }

        if (_sse is not null ? !_sse.Feed(data) : _json!.WrittenCount + data.Length > rule.MaxEntryBytes)
        {
            Refused = _sse is { TooLarge: false } ? "unsupported" : "too_large";
            _sse = null;
            _json = null;
            return;
        }

        _json?.Write(data);
    }

    /// <summary>
    /// The server answered the request itself (a coalesced slice: 200, JSON, no response stage sees it): stores that
    /// answer as an upstream's response would be.
    /// </summary>
    public Task StoreAnsweredAsync(ReadOnlyMemory<byte> body)
    {
        if (Begin(200, "application/json", null))
        {
            Read(body.Span);
        }

        return writer.StoreAsync(this);
    }

    /// <summary>The body ended: the entry's body (a JSON response), or null when it is not stored (<see cref="Refused"/> says why).</summary>
    public byte[]? End()
    {
        if (Refused is not null)
        {
            return null;
        }

        var body = _sse is not null ? _sse.Finish() : Complete(_json!.WrittenMemory) ? _json.WrittenSpan.ToArray() : null;
        if (body is null)
        {
            Refused = _sse is null ? "unsupported" : _sse.TooLarge ? "too_large" : "incomplete";
        }

        return body;
    }

    /// <summary>A JSON answer that is not an error: an object without a non-null <c>error</c> and not of <c>object: error</c>, or an array (TEI's rerank).</summary>
    private static bool Complete(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Array
                || (root.ValueKind == JsonValueKind.Object
                    && !(root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
                    && !(root.TryGetProperty("object", out var kind) && kind.ValueKind == JsonValueKind.String && kind.ValueEquals("error")));
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
