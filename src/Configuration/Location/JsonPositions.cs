using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AiSidecar.Configuration;

/// <summary>The 1-based line and column of every key in a JSON configuration file, read the way the JSON provider reads it.</summary>
internal static class JsonPositions
{
    public static Dictionary<string, (int Line, int Column)> Read(string physicalPath)
    {
        var positions = new Dictionary<string, (int Line, int Column)>(StringComparer.OrdinalIgnoreCase);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(physicalPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return positions;
        }

        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        var text = bytes.AsSpan(start);
        var reader = new Utf8JsonReader(text, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var containers = new Stack<(string Key, bool IsArray, int Next)>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = Combine(containers.Peek().Key, reader.GetString() ?? string.Empty);
                        positions.TryAdd(property, Position(text, (int)reader.TokenStartIndex));
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        var key = containers.Count == 0 ? string.Empty : ValueKey(containers, property, text, (int)reader.TokenStartIndex, positions);
                        containers.Push((key, reader.TokenType == JsonTokenType.StartArray, 0));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.Pop();
                        break;
                    default:
                        ValueKey(containers, property, text, (int)reader.TokenStartIndex, positions);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // The provider reports syntax errors itself; keep what was found so far.
        }

        return positions;
    }

    /// <summary>The key of the value starting here: the pending property, or the next index of the enclosing array.</summary>
    private static string ValueKey(Stack<(string Key, bool IsArray, int Next)> containers, string? property, ReadOnlySpan<byte> text, int offset, Dictionary<string, (int Line, int Column)> positions)
    {
        var (parent, isArray, next) = containers.Pop();
        containers.Push((parent, isArray, isArray ? next + 1 : next));
        if (!isArray)
        {
            return property ?? parent;
        }

        var key = Combine(parent, next.ToString(CultureInfo.InvariantCulture));
        positions.TryAdd(key, Position(text, offset));
        return key;
    }

    private static string Combine(string parent, string key) => parent.Length == 0 ? key : parent + ":" + key;

    private static (int Line, int Column) Position(ReadOnlySpan<byte> text, int offset)
    {
        var before = text[..offset];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (line, Encoding.UTF8.GetCharCount(before[lineStart..]) + 1);
    }
}
