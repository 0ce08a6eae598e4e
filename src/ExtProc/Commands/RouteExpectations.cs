using System.Globalization;
using System.Text.Json.Nodes;

namespace AiSidecar.ExtProc.Commands;

/// <summary>Compares a route report with a case's expectations; <c>headers</c> and <c>body</c> compare field by field.</summary>
internal static class RouteExpectations
{
    /// <summary>One line per mismatch; empty when the report meets every expectation.</summary>
    public static List<string> Mismatches(JsonObject expect, JsonObject report)
    {
        var mismatches = new List<string>();
        foreach (var (field, expected) in expect)
        {
            switch (field)
            {
                case "headers":
                    foreach (var (header, value) in expected as JsonObject ?? [])
                    {
                        Compare($"headers.{header}", value, (report["headersSet"] as JsonObject)?[header], mismatches);
                    }

                    break;
                case "body":
                    foreach (var (path, value) in expected as JsonObject ?? [])
                    {
                        Compare($"body.{path}", value, Find(report["body"], path), mismatches);
                    }

                    break;
                default:
                    Compare(field, expected, report[field], mismatches);
                    break;
            }
        }

        return mismatches;
    }

    private static void Compare(string field, JsonNode? expected, JsonNode? actual, List<string> mismatches)
    {
        var want = Text(expected);
        var got = Text(actual);
        if (want != got)
        {
            mismatches.Add($"{field}: expected {want ?? "(absent)"}, got {got ?? "(absent)"}");
        }
    }

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<long>(out var n) => n.ToString(CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue value => value.ToString(),
        _ => node.ToJsonString(),
    };

    /// <summary>Follows <c>messages[0].content</c>-style paths.</summary>
    private static JsonNode? Find(JsonNode? node, string path)
    {
        foreach (var part in path.Replace("[", ".[", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = part.StartsWith('[') && int.TryParse(part.AsSpan(1, part.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var i)
                ? (node as JsonArray) is { } array && i < array.Count ? array[i] : null
                : (node as JsonObject)?[part];
        }

        return node;
    }
}
