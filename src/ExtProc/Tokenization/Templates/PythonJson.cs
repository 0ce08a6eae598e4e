using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AiSidecar.ExtProc.Tokenization.Templates;

/// <summary>
/// JSON as the templates' <c>tojson</c> filter writes it (Python <c>json.dumps</c>, <c>ensure_ascii=False</c>):
/// <c>", "</c> and <c>": "</c> separators, keys in request order, only quotes, backslashes and control characters
/// escaped. Numbers are written as the client sent them.
/// </summary>
internal static class PythonJson
{
    /// <summary>
    /// vLLM parses tool-call <c>arguments</c> into a dict before rendering, so the template's <c>tojson</c> rewrites
    /// them; text that is not a JSON object stays as sent.
    /// </summary>
    public static string ReformatObject(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object ? Serialize(document.RootElement) : json;
        }
        catch (JsonException)
        {
            return json;
        }
    }

    public static string Serialize(JsonElement value)
    {
        var sb = new StringBuilder();
        try
        {
            Write(sb, value);
        }
        catch (InvalidOperationException)
        {
            // An unpaired surrogate escape: the field is not read by the inspector, so count it as sent.
            return value.GetRawText();
        }

        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var property in value.EnumerateObject())
                {
                    sb.Append(first ? "" : ", ");
                    first = false;
                    WriteString(sb, property.Name);
                    sb.Append(": ");
                    Write(sb, property.Value);
                }

                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    sb.Append(index++ == 0 ? "" : ", ");
                    Write(sb, item);
                }

                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(sb, value.GetString()!);
                break;
            default:
                sb.Append(value.GetRawText());
                break;
        }
    }

    private static void WriteString(StringBuilder sb, string text)
    {
        sb.Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                '\b' => sb.Append("\\b"),
                '\f' => sb.Append("\\f"),
                < ' ' => sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }

        sb.Append('"');
    }
}
