using System.Globalization;
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

    /// <summary>Reads the head; the request attributes stand in for pseudo-headers that forward rules dropped.</summary>
    public static RequestHead From(ProcessingRequest message, IReadOnlyList<string> ownedHeaders)
    {
        var headers = message.RequestHeaders.Headers;
        var attributes = message.Attributes.TryGetValue(AttributesKey, out var s) ? s : null;
        var length = HeaderValues.Find(headers, "content-length");
        var head = new RequestHead
        {
            Method = HeaderValues.Find(headers, ":method") ?? Attribute(attributes, "request.method"),
            Path = HeaderValues.Find(headers, ":path") ?? Attribute(attributes, "request.path"),
            ContentLength = long.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null,
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

    private static string? Attribute(Struct? attributes, string name) =>
        attributes is not null && attributes.Fields.TryGetValue(name, out var value) && value.KindCase == Value.KindOneofCase.StringValue
            ? value.StringValue
            : null;
}
