using System.Text;
using System.Text.Json;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// One choice of a stream as its chunks add up (<see cref="StreamAssembler"/>): the texts of its deltas joined
/// (content, reasoning, refusal; a completions chunk's <c>text</c> is its content), its tool calls by index, what ended
/// it. A member it cannot reproduce refuses the chunk.
/// </summary>
internal sealed class AssembledChoice
{
    private static readonly string[] DeltaTexts = ["content", "reasoning_content", "reasoning", "refusal"];

    private readonly Dictionary<string, StringBuilder> _texts = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, ToolCall> _toolCalls = [];

    /// <summary>The ending members seen, as raw JSON.</summary>
    private readonly Dictionary<string, string> _ending = new(StringComparer.Ordinal);

    private string _role = "assistant";

    /// <summary>True once a chunk gave its <c>finish_reason</c>.</summary>
    public bool Finished => _ending.ContainsKey("finish_reason");

    /// <summary>Adds one chunk's choice (its <c>index</c> already read), counting the text it adds in <paramref name="textChars"/>; false when it cannot be reproduced.</summary>
    public bool Add(JsonElement choice, ref long textChars)
    {
        foreach (var member in choice.EnumerateObject())
        {
            var value = member.Value;
            if (value.ValueKind == JsonValueKind.Null || member.NameEquals("index"))
            {
                continue;
            }

            switch (member.Name)
            {
                case "delta" when value.ValueKind == JsonValueKind.Object:
                    if (!AddDelta(value, ref textChars))
                    {
                        return false;
                    }

                    break;
                case "text" when value.ValueKind == JsonValueKind.String:
                    textChars += Append("content", value);
                    break;
                case var name when CompletionShape.Endings.Contains(name):
                    _ending[name] = value.GetRawText();
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>Writes the choice as a completion's: <c>index</c>, the message (or <c>text</c>), <c>logprobs: null</c>, the endings.</summary>
    public void Write(Utf8JsonWriter writer, int index, bool chat)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
        if (chat)
        {
            WriteMessage(writer);
        }
        else
        {
            writer.WriteString("text", _texts.GetValueOrDefault("content")?.ToString() ?? "");
        }

        writer.WriteNull("logprobs");
        foreach (var (name, raw) in _ending)
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(raw, skipInputValidation: true);
        }

        writer.WriteEndObject();
    }

    private bool AddDelta(JsonElement delta, ref long textChars)
    {
        foreach (var member in delta.EnumerateObject())
        {
            var value = member.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (member.NameEquals("role") && value.ValueKind == JsonValueKind.String)
            {
                _role = value.GetString()!;
            }
            else if (DeltaTexts.Contains(member.Name) && value.ValueKind == JsonValueKind.String)
            {
                textChars += Append(member.Name, value);
            }
            else if (member.NameEquals("tool_calls") && value.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in value.EnumerateArray())
                {
                    if (!AddToolCall(call))
                    {
                        return false;
                    }

                    textChars += call.GetRawText().Length;
                }
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Appends a string value to the text <paramref name="name"/>; returns its length.</summary>
    private int Append(string name, JsonElement value)
    {
        var text = value.GetString()!;
        (_texts.TryGetValue(name, out var joined) ? joined : _texts[name] = new StringBuilder()).Append(text);
        return text.Length;
    }

    private void WriteMessage(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("message");
        writer.WriteString("role", _role);
        if (_texts.TryGetValue("content", out var content))
        {
            writer.WriteString("content", content.ToString());
        }
        else
        {
            writer.WriteNull("content");
        }

        foreach (var name in DeltaTexts.AsSpan(1))
        {
            if (_texts.TryGetValue(name, out var text))
            {
                writer.WriteString(name, text.ToString());
            }
        }

        if (_toolCalls.Count > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var call in _toolCalls.Values)
            {
                writer.WriteStartObject();
                if (call.Id is not null)
                {
                    writer.WriteString("id", call.Id);
                }

                writer.WriteString("type", call.Type ?? "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", call.Name ?? "");
                writer.WriteString("arguments", call.Arguments.ToString());
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private bool AddToolCall(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("index", out var indexValue) || !indexValue.TryGetInt32(out var index))
        {
            return false;
        }

        if (!_toolCalls.TryGetValue(index, out var call))
        {
            _toolCalls[index] = call = new ToolCall();
        }

        foreach (var member in element.EnumerateObject())
        {
            var value = member.Value;
            switch (member.Name)
            {
                case "index":
                    break;
                case var _ when value.ValueKind == JsonValueKind.Null:
                    break;
                case "id" when value.ValueKind == JsonValueKind.String:
                    call.Id ??= value.GetString();
                    break;
                case "type" when value.ValueKind == JsonValueKind.String:
                    call.Type ??= value.GetString();
                    break;
                case "function" when value.ValueKind == JsonValueKind.Object:
                    if (value.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                    {
                        call.Name = (call.Name ?? "") + name.GetString();
                    }

                    if (value.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.String)
                    {
                        call.Arguments.Append(arguments.GetString());
                    }

                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>One tool call as its deltas add up.</summary>
    private sealed class ToolCall
    {
        public string? Id { get; set; }

        public string? Type { get; set; }

        public string? Name { get; set; }

        public StringBuilder Arguments { get; } = new();
    }
}
