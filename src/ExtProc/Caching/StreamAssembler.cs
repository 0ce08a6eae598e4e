using System.Buffers;
using System.Text.Json;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// Turns a complete SSE stream of chat or completions chunks into the one JSON response a non-streamed request gets
/// (what the cache stores): each choice's deltas joined (<see cref="AssembledChoice"/>), the envelope of the first
/// chunk that has it, the usage. A stream the cache cannot reproduce exactly is refused (null): an error event, a
/// choice without a finish reason, no usage, log-probabilities, or any member it does not know.
/// </summary>
internal sealed class StreamAssembler
{
    private readonly SseEvents _events;
    private readonly Func<ReadOnlyMemory<byte>, bool> _onEvent;
    private readonly Dictionary<string, string> _envelope = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, AssembledChoice> _choices = [];
    private readonly int _maxBytes;
    private bool _done;
    private bool _tooLarge;
    private long _textChars;
    private string? _object;
    private string? _usage;

    /// <param name="maxBytes">The largest entry stored: past it (the text so far, or one event) the stream is refused.</param>
    public StreamAssembler(int maxBytes)
    {
        _maxBytes = maxBytes;
        _events = new SseEvents(maxBytes);
        _onEvent = OnEvent;
    }

    /// <summary>True when the stream was refused for its size.</summary>
    public bool TooLarge => _tooLarge || _events.TooLarge;

    /// <summary>The stream of <paramref name="sse"/>, whole, as the JSON response it adds up to (or null).</summary>
    public static byte[]? TryAssemble(ReadOnlySpan<byte> sse, int maxBytes = int.MaxValue)
    {
        var assembler = new StreamAssembler(maxBytes);
        assembler.Feed(sse);
        return assembler.Finish();
    }

    /// <summary>Reads the next piece of the stream (events may span pieces); false once the stream cannot be stored.</summary>
    public bool Feed(ReadOnlySpan<byte> piece) => _events.Read(piece, end: false, _onEvent);

    /// <summary>The stream ended: the JSON response it adds up to, or null when it cannot be stored.</summary>
    public byte[]? Finish()
    {
        if (!_events.Read([], end: true, _onEvent) || Write() is not { } entry)
        {
            return null;
        }

        _tooLarge = entry.Length > _maxBytes;
        return _tooLarge ? null : entry;
    }

    private bool OnEvent(ReadOnlyMemory<byte> data)
    {
        if (_done || data.Span.SequenceEqual("[DONE]"u8))
        {
            // After [DONE] nothing more is read.
            _done = true;
            return true;
        }

        try
        {
            var added = Add(data);
            _tooLarge = _textChars > _maxBytes;
            return added && !_tooLarge;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
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
                    if (kind is not (CompletionShape.ChatChunk or CompletionShape.Text) || (_object is not null && _object != kind))
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
                case var name when CompletionShape.Envelope.Contains(name):
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
            _choices[index] = choice = new AssembledChoice();
        }

        return choice.Add(element, ref _textChars);
    }

    private byte[]? Write()
    {
        if (_object is null || _usage is null || _choices.Count == 0 || _choices.Values.Any(c => !c.Finished))
        {
            return null;
        }

        var chat = _object == CompletionShape.ChatChunk;
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, CompletionShape.WriterOptions))
        {
            writer.WriteStartObject();
            WriteEnvelope(writer, "id");
            writer.WriteString("object", chat ? CompletionShape.Chat : CompletionShape.Text);
            foreach (var name in CompletionShape.Envelope.AsSpan(1))
            {
                WriteEnvelope(writer, name);
            }

            writer.WriteStartArray("choices");
            foreach (var (index, choice) in _choices)
            {
                choice.Write(writer, index, chat);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("usage");
            writer.WriteRawValue(_usage, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private void WriteEnvelope(Utf8JsonWriter writer, string name)
    {
        if (_envelope.TryGetValue(name, out var raw))
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(raw, skipInputValidation: true);
        }
    }
}
