using System.Globalization;
using AiSidecar.ExtProc.Routing;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf.WellKnownTypes;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>What the server keeps of a request's headers.</summary>
internal sealed class RequestHead
{
    private const string AttributesKey = "envoy.filters.http.ext_proc";

    public string? Method { get; private init; }

    public string? Path { get; private init; }

    public long? ContentLength { get; private init; }

    /// <summary>Server-owned headers the client sent, to be removed.</summary>
    public List<string> OwnedCopies { get; } = [];

    /// <summary>The request headers the routing decision reads (experiment, model type, stickiness keys).</summary>
    public RequestHeaderValues Captured { get; private init; } = RequestHeaderValues.Empty;

    /// <summary>Reads the head; the request attributes stand in for pseudo-headers that forward rules dropped.</summary>
    /// <param name="message">The request_headers message.</param>
    /// <param name="ownedHeaders">Headers the server owns: client copies are noted for removal.</param>
    /// <param name="capturedHeaders">Headers whose first value is kept for the decision.</param>
    public static RequestHead From(ProcessingRequest message, IReadOnlyList<string> ownedHeaders, IReadOnlyList<string>? capturedHeaders = null)
    {
        var headers = message.RequestHeaders.Headers;
        var attributes = message.Attributes.TryGetValue(AttributesKey, out var s) ? s : null;
        var length = HeaderValues.Find(headers, "content-length");
        var head = new RequestHead
        {
            Method = HeaderValues.Find(headers, ":method") ?? Attribute(attributes, "request.method"),
            Path = HeaderValues.Find(headers, ":path") ?? Attribute(attributes, "request.path"),
            ContentLength = long.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null,
            Captured = Capture(headers, capturedHeaders),
        };

        foreach (var name in ownedHeaders)
        {
            if (HeaderValues.Find(headers, name) is not null)
            {
                head.OwnedCopies.Add(name);
            }
        }

        return head;
    }

    private static RequestHeaderValues Capture(Envoy.Config.Core.V3.HeaderMap? headers, IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0)
        {
            return RequestHeaderValues.Empty;
        }

        var values = new List<KeyValuePair<string, string>>(names.Count);
        foreach (var name in names)
        {
            if (HeaderValues.Find(headers, name) is { } value)
            {
                values.Add(new(name, value));
            }
        }

        return values.Count == 0 ? RequestHeaderValues.Empty : new RequestHeaderValues(values);
    }

    private static string? Attribute(Struct? attributes, string name) =>
        attributes is not null && attributes.Fields.TryGetValue(name, out var value) && value.KindCase == Value.KindOneofCase.StringValue
            ? value.StringValue
            : null;
}
