using System.Text;
using System.Text.Json.Nodes;

namespace AiSidecar.ExtProc.Commands;

/// <summary>One case of a <c>check</c> file: a request and the decision fields it must produce.</summary>
internal sealed record RouteCase(string Name, RouteRequest Request, JsonObject Expect)
{
    /// <summary>Reads a case: <c>name</c>, <c>method</c>, <c>path</c>, <c>headers</c>, <c>body</c> (mapping or JSON text), <c>expect</c>.</summary>
    public static RouteCase From(JsonObject node, int index)
    {
        var name = node["name"]?.GetValue<string>() ?? $"case {index}";
        var body = node["body"] switch
        {
            null => [],
            JsonValue text when text.TryGetValue<string>(out var raw) => Encoding.UTF8.GetBytes(raw),
            var json => Encoding.UTF8.GetBytes(json.ToJsonString()),
        };
        var headers = (node["headers"] as JsonObject ?? [])
            .Select(h => KeyValuePair.Create(h.Key.ToLowerInvariant(), h.Value?.ToString() ?? ""))
            .ToList();
        var request = new RouteRequest(
            node["method"]?.GetValue<string>() ?? "POST",
            node["path"]?.GetValue<string>() ?? RouteRequest.GuessPath(body),
            headers,
            body);
        var expect = node["expect"] as JsonObject ?? throw new ArgumentException($"{name}: 'expect' is missing.");
        return new RouteCase(name, request, expect);
    }
}
