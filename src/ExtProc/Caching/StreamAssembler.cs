using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// Turns a complete SSE stream of chat or completions chunks into the one JSON response a non-streamed request gets
/// (what the cache stores): the deltas of each choice joined (content, reasoning, refusal, tool calls by index), its
/// finish reason, the usage. A stream the cache cannot reproduce exactly is refused (null): an error event, a choice
/// without a finish reason, no usage, log-probabilities, or any member it does not know.
/// </summary>
internal sealed class StreamAssembler
{
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] EnvelopeMembers = ["id", "created", "model", "system_fingerprint", "service_tier"];
    private static readonly string[] DeltaTexts = ["content", "reasoning_content", "reasoning", "refusal"];

    private readonly Dictionary<string, string> _envelope = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, Choice> _choices = [];
    private readonly ArrayBufferWriter<byte> _line = new();
    private readonly ArrayBufferWriter<byte> _data = new();
    private readonly int _maxBytes;
    private bool _inEvent;
    private bool _done;
    private bool _failed;
    private long _textChars;
    private string? _object;
    private string? _usage;

    /// <summary>True when the stream was refused for its size.</summary>
    public bool TooLarge { get; private set; }

    /// <param name="maxBytes">The largest entry stored: past it (the text so far, or one event) the stream is refused.</param>
    public StreamAssembler(int maxBytes) => _maxBytes = maxBytes;

    /// <summary>The stream of <paramref name="sse"/>, whole, as the JSON response it adds up to (or null).</summary>
    public static byte[]? TryAssemble(ReadOnlySpan<byte> sse, int maxBytes = int.MaxValue)
    {
        var assembler = new StreamAssembler(maxBytes);
        assembler.Feed(sse);
        return assembler.Finish();
    }

    /// <summary>Reads the next piece of the stream (events may span pieces); false once the stream cannot be stored.</summary>
    public bool Feed(ReadOnlySpan<byte> chunk)
    {
        while (!_failed && chunk.Length > 0)
        {
            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _line.Write(chunk);
                CheckSize(_line.WrittenCount);
                break;
            }

            if (_line.WrittenCount > 0)
            {
                _line.Write(chunk[..newline]);
                OnLine(_line.WrittenSpan);
                _line.ResetWrittenCount();
            }
            else
            {
                OnLine(chunk[..newline]);
            }

            chunk = chunk[(newline + 1)..];
        }

        return !_failed;
    }

    /// <summary>The stream ended: the JSON response it adds up to, or null when it cannot be stored.</summary>
    public byte[]? Finish()
    {
        if (_line.WrittenCount > 0)
        {
            OnLine(_line.WrittenSpan);
            _line.ResetWrittenCount();
        }

        OnLine([]);
        var entry = _failed ? null : Write();
        CheckSize(entry?.Length ?? 0);
        return _failed ? null : entry;
    }

    private void CheckSize(long bytes)
    {
        if (bytes > _maxBytes)
        {
            TooLarge = _failed = true;
        }
    }

    private void OnLine(ReadOnlySpan<byte> line)
    {
        if (_failed || _done)
        {
            return;
        }

        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        if (line.IsEmpty)
        {
            if (_inEvent)
            {
                _inEvent = false;
                OnEvent(_data.WrittenMemory);
                _data.ResetWrittenCount();
            }
        }
        else if (line.StartsWith("data:"u8))
        {
            var value = line[5..];
            if (value.StartsWith(" "u8))
            {
                value = value[1..];
            }

            if (_inEvent)
            {
                _data.Write("\n"u8);
            }

            _data.Write(value);
            _inEvent = true;
            CheckSize(_data.WrittenCount);
        }
    }

    private void OnEvent(ReadOnlyMemory<byte> data)
    {
        if (data.Span.SequenceEqual("[DONE]"u8))
        {
            _done = true;
            return;
        }

        try
        {
            _failed = !Add(data);
            CheckSize(_textChars);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            _failed = true;
        }
    }

    private bool Add(ReadOnlyMemory<byte> data)
    {
        using var document = JsonDocument.Parse(data);
        var chunk = document.RootElement;
        if (chunk.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var member in chunk.EnumerateObject())
        {
            var value = member.Value;
            switch (member.Name)
            {
                case "object":
                    var kind = value.GetString();
                    if (kind is not ("chat.completion.chunk" or "text_completion") || (_object is not null && _object != kind))
                    {
                        return false;
                    }

                    _object = kind;
                    break;
                case "choices":
                    if (value.ValueKind != JsonValueKind.Array)
                    {
                        return false;
                    }

                    foreach (var choice in value.EnumerateArray())
                    {
                        if (!AddChoice(choice))
                        {
                            return false;
                        }
                    }

                    break;
                case "usage":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        _usage = value.GetRawText();
                    }

                    break;
                case var name when EnvelopeMembers.Contains(name):
                    if (value.ValueKind != JsonValueKind.Null && !_envelope.ContainsKey(name))
                    {
                        _envelope[name] = value.GetRawText();
                    }

                    break;
                default:
                    // An error event, or something this assembler would drop: the stream is not stored.
                    if (value.ValueKind != JsonValueKind.Null)
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }

    private bool AddChoice(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("index", out var indexValue) || !indexValue.TryGetInt32(out var index) || index < 0)
        {
            return false;
        }

        if (!_choices.TryGetValue(index, out var choice))
        {
            _choices[index] = choice = new Choice();
        }

        foreach (var member in element.EnumerateObject())
        {
            var value = member.Value;
            if (value.ValueKind == JsonValueKind.Null || member.Name == "index")
            {
                continue;
            }

            switch (member.Name)
            {
                case "delta" when value.ValueKind == JsonValueKind.Object:
                    if (!choice.AddDelta(value, ref _textChars))
                    {
                        return false;
                    }

                    break;
                case "text" when value.ValueKind == JsonValueKind.String:
                    var text = value.GetString()!;
                    choice.Text("content").Append(text);
                    _textChars += text.Length;
                    break;
                case "finish_reason" or "stop_reason" or "matched_stop":
                    choice.Ending[member.Name] = value.GetRawText();
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    private byte[]? Write()
    {
        if (_object is null || _usage is null || _choices.Count == 0 || _choices.Values.Any(c => !c.Ending.ContainsKey("finish_reason")))
        {
            return null;
        }

        var chat = _object == "chat.completion.chunk";
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WriteStartObject();
            WriteRaw(writer, "id");
            writer.WriteString("object", chat ? "chat.completion" : "text_completion");
            foreach (var name in EnvelopeMembers.Skip(1))
            {
                WriteRaw(writer, name);
            }

            writer.WriteStartArray("choices");
            foreach (var (index, choice) in _choices)
            {
                writer.WriteStartObject();
                writer.WriteNumber("index", index);
                if (chat)
                {
                    choice.WriteMessage(writer);
                }
                else
                {
                    writer.WriteString("text", choice.Texts.GetValueOrDefault("content")?.ToString() ?? "");
                }

                writer.WriteNull("logprobs");
                foreach (var (name, raw) in choice.Ending)
                {
                    writer.WritePropertyName(name);
                    writer.WriteRawValue(raw, skipInputValidation: true);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WritePropertyName("usage");
            writer.WriteRawValue(_usage, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private void WriteRaw(Utf8JsonWriter writer, string name)
    {
        if (_envelope.TryGetValue(name, out var raw))
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(raw, skipInputValidation: true);
        }
    }

    /// <summary>One choice as its chunks add up.</summary>
    private sealed class Choice
    {
        public string Role { get; private set; } = "assistant";

        public Dictionary<string, StringBuilder> Texts { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<int, ToolCall> ToolCalls { get; } = [];

        /// <summary>finish_reason, and vLLM's stop_reason and SGLang's matched_stop, as raw JSON.</summary>
        public Dictionary<string, string> Ending { get; } = new(StringComparer.Ordinal);

        public StringBuilder Text(string name) => Texts.TryGetValue(name, out var text) ? text : Texts[name] = new StringBuilder();

        public bool AddDelta(JsonElement delta, ref long textChars)
        {
            foreach (var member in delta.EnumerateObject())
            {
                var value = member.Value;
                if (value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (member.Name == "role" && value.ValueKind == JsonValueKind.String)
                {
                    Role = value.GetString()!;
                }
                else if (DeltaTexts.Contains(member.Name) && value.ValueKind == JsonValueKind.String)
                {
                    var text = value.GetString()!;
                    Text(member.Name).Append(text);
                    textChars += text.Length;
                }
                else if (member.Name == "tool_calls" && value.ValueKind == JsonValueKind.Array)
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

        public void WriteMessage(Utf8JsonWriter writer)
        {
            writer.WriteStartObject("message");
            writer.WriteString("role", Role);
            if (Texts.TryGetValue("content", out var content))
            {
                writer.WriteString("content", content.ToString());
            }
            else
            {
                writer.WriteNull("content");
            }

            foreach (var name in DeltaTexts.Skip(1))
            {
                if (Texts.TryGetValue(name, out var text))
                {
                    writer.WriteString(name, text.ToString());
                }
            }

            if (ToolCalls.Count > 0)
            {
                writer.WriteStartArray("tool_calls");
                foreach (var call in ToolCalls.Values)
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

            if (!ToolCalls.TryGetValue(index, out var call))
            {
                ToolCalls[index] = call = new ToolCall();
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
