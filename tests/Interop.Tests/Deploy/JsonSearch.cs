using System.Text.Json;

namespace AiSidecar.Interop.Tests.Deploy;

/// <summary>Finds objects anywhere in a JSON tree.</summary>
internal static class JsonSearch
{
    public static IEnumerable<JsonElement> Objects(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object)
        {
            yield return root;
            foreach (var child in root.EnumerateObject().SelectMany(p => Objects(p.Value)))
            {
                yield return child;
            }
        }
        else if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in root.EnumerateArray().SelectMany(Objects))
            {
                yield return child;
            }
        }
    }

    /// <summary>Filters (HTTP or network) with the given name: objects whose "name" is it and that carry a typed_config.</summary>
    public static IEnumerable<JsonElement> Filters(JsonElement root, string name) => Objects(root).Where(o =>
        o.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() == name
        && o.TryGetProperty("typed_config", out _));

    public static string? Str(this JsonElement element, params string[] path)
    {
        foreach (var key in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(key, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
    }
}
