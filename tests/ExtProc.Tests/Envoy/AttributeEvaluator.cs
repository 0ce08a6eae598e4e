using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>
/// Evaluates the few CEL attribute expressions tests need, into the flat Struct Envoy sends under
/// <c>attributes["envoy.filters.http.ext_proc"]</c>: ints become numbers, other values strings, unknown expressions are omitted.
/// </summary>
internal static class AttributeEvaluator
{
    public const string FilterName = "envoy.filters.http.ext_proc";

    public static Struct Evaluate(
        IEnumerable<string> expressions, HttpHeaderList requestHeaders, HttpHeaderList? responseHeaders, EnvoyFilterConfig config)
    {
        var result = new Struct();
        foreach (var expression in expressions)
        {
            var value = EvaluateOne(expression, requestHeaders, responseHeaders, config);
            if (value is not null)
            {
                result.Fields[expression] = value;
            }
        }

        return result;
    }

    private static Value? EvaluateOne(string expression, HttpHeaderList request, HttpHeaderList? response, EnvoyFilterConfig config)
    {
        var path = request[":path"] ?? string.Empty;
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return expression switch
        {
            "request.path" => Value.ForString(path),
            "request.url_path" => Value.ForString(query < 0 ? path : path[..query]),
            "request.query" => Value.ForString(query < 0 ? string.Empty : path[(query + 1)..]),
            "request.host" => Str(request[":authority"]),
            "request.scheme" => Str(request[":scheme"]),
            "request.method" => Str(request[":method"]),
            "request.id" => Str(request["x-request-id"]),
            "request.protocol" => Value.ForString("HTTP/2"),
            "source.address" => Value.ForString(config.SourceAddress),
            "xds.route_name" => Value.ForString(config.RouteName),
            "response.code" => int.TryParse(response?[":status"], NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                ? Value.ForNumber(code)
                : null,
            _ => null,
        };
    }

    private static Value? Str(string? value) => value is null ? null : Value.ForString(value);
}
