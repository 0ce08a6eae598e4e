using System.Buffers;
using System.Text.Json;

namespace AiSidecar.ExtProc.Coalescing.Codecs;

/// <summary>Writes the members' answers of one split, one after the other, through one reused buffer and writer.</summary>
internal sealed class AnswerWriter : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer;
    private readonly Utf8JsonWriter _writer;

    /// <summary>A writer sized for an average member's share of the <paramref name="response"/>.</summary>
    public AnswerWriter(ReadOnlyMemory<byte> response, int members)
    {
        _buffer = new ArrayBufferWriter<byte>(response.Length / Math.Max(members, 1) + 256);
        _writer = new Utf8JsonWriter(_buffer, RequestBody.WriterOptions);
    }

    /// <summary>
    /// Member <paramref name="member"/>'s answer to an object answer: the engine's fields in its order, the list
    /// written by <paramref name="writeList"/>, <c>usage</c> by <paramref name="usage"/>, <c>id</c> suffixed with
    /// <c>-{member}</c> (each answer keeps a distinct id), every other field copied.
    /// </summary>
    public byte[] Member(JsonElement root, int member, ReadOnlySpan<byte> listName, UsageShares? usage, Action<Utf8JsonWriter> writeList)
    {
        _writer.WriteStartObject();
        foreach (var property in root.EnumerateObject())
        {
            AnswerJson.WriteName(_writer, property);
            if (property.NameEquals(listName))
            {
                writeList(_writer);
            }
            else if (usage is not null && property.NameEquals("usage"u8))
            {
                usage.Write(_writer, member);
            }
            else if (property.NameEquals("id"u8) && property.Value.ValueKind == JsonValueKind.String)
            {
                _writer.WriteStringValue($"{property.Value.GetString()}-{member}");
            }
            else
            {
                AnswerJson.WriteRaw(_writer, property.Value);
            }
        }

        _writer.WriteEndObject();
        return Take();
    }

    /// <summary>An array answer (TEI's native rerank): only the list.</summary>
    public byte[] Array(Action<Utf8JsonWriter> writeList)
    {
        writeList(_writer);
        return Take();
    }

    public void Dispose() => _writer.Dispose();

    private byte[] Take()
    {
        _writer.Flush();
        var body = _buffer.WrittenSpan.ToArray();
        _buffer.ResetWrittenCount();
        _writer.Reset();
        return body;
    }
}
