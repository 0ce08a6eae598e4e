using System.Buffers;
using System.Text.Json;

namespace AiSidecar.ExtProc.Caching;

/// <summary>
/// A stored JSON response replayed as the SSE stream a streamed request gets: for each choice a chunk with the whole
/// message as its delta (and the choice's log-probabilities), then a chunk with its finish reason; the usage in a
/// chunk of its own with no choices when the client asked for it (<c>stream_options.include_usage</c>, as OpenAI
/// sends it), else on the last chunk; then <c>[DONE]</c>.
/// </summary>
internal static class CacheReplay
{
    /// <summary>The SSE stream of <paramref name="json"/>; null when it is not a chat or completions response (embeddings, rerank: never streamed).</summary>
    public static ReadOnlyMemory<byte>? ToSse(ReadOnlyMemory<byte> json, bool includeUsage)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var kind = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("object", out var o) ? o.GetString() : null;
        if (kind is not (CompletionShape.Chat or CompletionShape.Text) || !root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var chat = kind == CompletionShape.Chat;
        var usage = root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object ? u : (JsonElement?)null;
        // The stream is the message once more, each choice's envelope three times and the framing: sized once.
        var output = new ArrayBufferWriter<byte>(json.Length + 1024);
        var last = choices.GetArrayLength() - 1;
        var i = 0;
        foreach (var choice in choices.EnumerateArray())
        {
            WriteEvent(output, root, chat, writer =>
            {
                writer.WriteStartObject();
                Copy(writer, choice, "index");
                if (chat)
                {
                    WriteDelta(writer, choice);
                }
                else
                {
                    Copy(writer, choice, "text");
                }

                Copy(writer, choice, "logprobs", orNull: true);
                writer.WriteNull("finish_reason");
                writer.WriteEndObject();
            }, null);

            WriteEvent(output, root, chat, writer =>
            {
                writer.WriteStartObject();
                Copy(writer, choice, "index");
                if (chat)
                {
                    writer.WriteStartObject("delta");
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteString("text", "");
                }

                writer.WriteNull("logprobs");
                foreach (var name in CompletionShape.Endings)
                {
                    Copy(writer, choice, name, orNull: name == "finish_reason");
                }

                writer.WriteEndObject();
            }, i == last && !includeUsage ? usage : null);
            i++;
        }

        if (includeUsage && usage is not null)
        {
            WriteEvent(output, root, chat, null, usage);
        }

        output.Write("data: [DONE]\n\n"u8);
        return output.WrittenMemory;
    }

    /// <summary>One <c>data:</c> event: the chunk envelope, the choice <paramref name="writeChoice"/> writes (none: <c>[]</c>), and the usage when given.</summary>
    private static void WriteEvent(ArrayBufferWriter<byte> output, JsonElement root, bool chat, Action<Utf8JsonWriter>? writeChoice, JsonElement? usage)
    {
        output.Write("data: "u8);
        using (var writer = new Utf8JsonWriter(output, CompletionShape.WriterOptions))
        {
            writer.WriteStartObject();
            Copy(writer, root, "id");
            writer.WriteString("object", chat ? CompletionShape.ChatChunk : CompletionShape.Text);
            foreach (var name in CompletionShape.Envelope.AsSpan(1))
            {
                Copy(writer, root, name);
            }

            writer.WriteStartArray("choices");
            writeChoice?.Invoke(writer);
            writer.WriteEndArray();
            if (usage is { } value)
            {
                writer.WritePropertyName("usage");
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }

    /// <summary>The message as one delta: every member but <c>tool_calls</c> as it is, each tool call with its <c>index</c>.</summary>
    private static void WriteDelta(Utf8JsonWriter writer, JsonElement choice)
    {
        writer.WriteStartObject("delta");
        if (choice.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in message.EnumerateObject())
            {
                // Unset members (null, and vLLM's empty tool_calls) are left out, as a streamed delta leaves them out.
                if (member.Value.ValueKind == JsonValueKind.Null || (member.Value.ValueKind == JsonValueKind.Array && member.Value.GetArrayLength() == 0))
                {
                    continue;
                }

                if (member.Name == "tool_calls" && member.Value.ValueKind == JsonValueKind.Array)
                {
                    writer.WriteStartArray("tool_calls");
                    var index = 0;
                    foreach (var call in member.Value.EnumerateArray())
                    {
                        writer.WriteStartObject();
                        writer.WriteNumber("index", index++);
                        foreach (var part in call.EnumerateObject())
                        {
                            if (part.Name != "index")
                            {
                                part.WriteTo(writer);
                            }
                        }

                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                }
                else
                {
                    member.WriteTo(writer);
                }
            }
        }

        writer.WriteEndObject();
    }

    private static void Copy(Utf8JsonWriter writer, JsonElement from, string name, bool orNull = false)
    {
        if (from.TryGetProperty(name, out var value))
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
        else if (orNull)
        {
            writer.WriteNull(name);
        }
    }
}
