using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AiSidecar.ExtProc.Admission.Priority;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Telemetry;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf.WellKnownTypes;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>Reads a <see cref="RequestHead"/> from Envoy's request_headers message.</summary>
internal static class RequestHeadReader
{
    private const string AttributesKey = "envoy.filters.http.ext_proc";

    /// <summary>The head; the request attributes stand in for pseudo-headers that forward rules dropped.</summary>
    /// <param name="message">The request_headers message.</param>
    /// <param name="table">The routing table: which headers the server owns and which the decision reads.</param>
    public static RequestHead From(ProcessingRequest message, RoutingTable table)
    {
        var headers = message.RequestHeaders.Headers;
        var attributes = message.Attributes.TryGetValue(AttributesKey, out var s) ? s : null;
        var length = EnvoyHeaders.Find(headers, "content-length");
        var traced = ExtProcTelemetry.Listening;
        List<string>? owned = null;
        foreach (var name in table.OwnedHeaders)
        {
            if (EnvoyHeaders.Find(headers, name) is not null)
            {
                (owned ??= []).Add(name);
            }
        }

        return new RequestHead
        {
            Method = EnvoyHeaders.Find(headers, ":method") ?? Attribute(attributes, "request.method"),
            Path = EnvoyHeaders.Find(headers, ":path") ?? Attribute(attributes, "request.path"),
            ContentLength = long.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null,
            OwnedCopies = owned ?? [],
            Captured = Capture(headers, table.CapturedHeaders),
            ApiKeyHash = table.HashesApiKeys ? ApiKeyHash.Of(EnvoyHeaders.Find(headers, "authorization")) : null,
            TenantHash = table.TenantHeader is { } tenant && EnvoyHeaders.Find(headers, tenant) is { Length: > 0 } value ? Sha256Hex(value) : null,
            TraceParent = traced ? EnvoyHeaders.Find(headers, ExtProcTelemetry.TraceParentHeader) : null,
            TraceState = traced ? EnvoyHeaders.Find(headers, ExtProcTelemetry.TraceStateHeader) : null,
        };
    }

    private static string Sha256Hex(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static CapturedHeaders Capture(HeaderMap? headers, IReadOnlyList<string> names)
    {
        List<KeyValuePair<string, string>>? values = null;
        foreach (var name in names)
        {
            if (EnvoyHeaders.Find(headers, name) is { } value)
            {
                (values ??= new(names.Count)).Add(new(name, value));
            }
        }

        return values is null ? CapturedHeaders.Empty : new CapturedHeaders(values);
    }

    private static string? Attribute(Struct? attributes, string name) =>
        attributes is not null && attributes.Fields.TryGetValue(name, out var value) && value.KindCase == Value.KindOneofCase.StringValue
            ? value.StringValue
            : null;
}
