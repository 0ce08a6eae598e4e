using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AiSidecar.ExtProc.Rewrite;

namespace AiSidecar.ExtProc.Coalescing.Codecs;

/// <summary>
/// The request side shared by the codecs: one forward <see cref="Utf8JsonReader"/> pass over the body for its fields
/// and inputs (byte ranges, nothing decoded but field names), the member's key, and the merged upstream body.
/// </summary>
internal static class RequestBody
{
    /// <summary>Input kinds: strings, token-id arrays, objects (rerank documents as <c>{"text": …}</c>).</summary>
    public const string Text = "text";
    public const string Tokens = "tokens";
    public const string Objects = "objects";

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Non-ASCII stays UTF-8: the bodies go to a model server and back to API clients, never into HTML.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads the top-level fields of a JSON object body, in order; refuses a body that repeats a field.</summary>
    public static bool TryReadFields(ReadOnlySpan<byte> body, [NotNullWhen(true)] out List<BodyField>? fields, [NotNullWhen(false)] out string? reason)
    {
        fields = null;
        var read = new List<BodyField>(16);
        try
        {
            var reader = new Utf8JsonReader(body, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                reason = CoalesceReasons.InvalidJson;
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                read.Add(new BodyField(name, start..(int)reader.BytesConsumed));
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a name escaping an unpaired surrogate cannot be unescaped.
            reason = CoalesceReasons.InvalidJson;
            return false;
        }

        var names = new HashSet<string>(read.Count, StringComparer.Ordinal);
        foreach (var field in read)
        {
            if (!names.Add(field.Name))
            {
                reason = CoalesceReasons.DuplicateField;
                return false;
            }
        }

        fields = read;
        reason = null;
        return true;
    }

    /// <summary>The field's raw value, or an empty span when the body has no such field.</summary>
    public static ReadOnlySpan<byte> Value(ReadOnlySpan<byte> body, List<BodyField> fields, string name)
    {
        foreach (var field in fields)
        {
            if (field.Name == name)
            {
                return body[field.Value];
            }
        }

        return default;
    }

    /// <summary>Missing or JSON <c>null</c>.</summary>
    public static bool IsAbsent(ReadOnlySpan<byte> value) => value.IsEmpty || value.SequenceEqual("null"u8);

    /// <summary>An integer written plainly (<c>3</c>, not <c>3.0</c> or <c>"3"</c>).</summary>
    public static bool TryInteger(ReadOnlySpan<byte> value, out long number) =>
        Utf8Parser.TryParse(value, out number, out var consumed) && consumed == value.Length;

    /// <summary>
    /// Reads a prompt-style input: a string, an array of strings, an array of token ids (one pretokenized input) or an
    /// array of token-id arrays. Each input's range goes to <paramref name="inputs"/>; kinds never mix.
    /// </summary>
    public static bool TryReadPrompts(ReadOnlySpan<byte> body, List<BodyField> fields, string name, List<Range> inputs,
        [NotNullWhen(true)] out string? kind, [NotNullWhen(false)] out string? reason)
    {
        kind = null;
        if (!TryFind(fields, name, out var field, out reason))
        {
            return false;
        }

        var offset = field.Value.Start.Value;
        var reader = new Utf8JsonReader(body[field.Value], ReaderOptions);
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueSpan.IsEmpty)
            {
                return Fail(CoalesceReasons.EmptyInput, out reason);
            }

            inputs.Add(field.Value);
            kind = Text;
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return Fail(CoalesceReasons.InputShape, out reason);
        }

        reader.Read();
        if (reader.TokenType == JsonTokenType.Number)
        {
            // [1, 2, 3]: one pretokenized input.
            if (!TryTokenIds(ref reader))
            {
                return Fail(CoalesceReasons.InputShape, out reason);
            }

            inputs.Add(field.Value);
            kind = Tokens;
            return true;
        }

        for (; reader.TokenType != JsonTokenType.EndArray; reader.Read())
        {
            var start = offset + (int)reader.TokenStartIndex;
            string elementKind;
            if (reader.TokenType == JsonTokenType.String)
            {
                if (reader.ValueSpan.IsEmpty)
                {
                    return Fail(CoalesceReasons.EmptyInput, out reason);
                }

                elementKind = Text;
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    return Fail(CoalesceReasons.EmptyInput, out reason);
                }

                if (!TryTokenIds(ref reader))
                {
                    return Fail(CoalesceReasons.InputShape, out reason);
                }

                elementKind = Tokens;
            }
            else
            {
                return Fail(CoalesceReasons.InputShape, out reason);
            }

            if (kind is not null && kind != elementKind)
            {
                return Fail(CoalesceReasons.InputShape, out reason);
            }

            kind = elementKind;
            inputs.Add(start..(offset + (int)reader.BytesConsumed));
        }

        return inputs.Count > 0 ? true : Fail(CoalesceReasons.EmptyInput, out reason);
    }

    /// <summary>Reads rerank documents: a non-empty array of strings or of objects (<c>{"text": …}</c>), not both.</summary>
    public static bool TryReadDocuments(ReadOnlySpan<byte> body, List<BodyField> fields, string name, List<Range> inputs,
        [NotNullWhen(true)] out string? kind, [NotNullWhen(false)] out string? reason)
    {
        kind = null;
        if (!TryFind(fields, name, out var field, out reason))
        {
            return false;
        }

        var offset = field.Value.Start.Value;
        var reader = new Utf8JsonReader(body[field.Value], ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            // vLLM's multimodal documents are one object with a content list.
            return Fail(CoalesceReasons.InputShape, out reason);
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = offset + (int)reader.TokenStartIndex;
            var elementKind = reader.TokenType switch
            {
                JsonTokenType.String => Text,
                JsonTokenType.StartObject => Objects,
                _ => null,
            };
            if (elementKind is null || (kind is not null && kind != elementKind))
            {
                return Fail(CoalesceReasons.InputShape, out reason);
            }

            kind = elementKind;
            reader.Skip();
            inputs.Add(start..(offset + (int)reader.BytesConsumed));
        }

        return inputs.Count > 0 ? true : Fail(CoalesceReasons.EmptyInput, out reason);
    }

    /// <summary>
    /// The member for a body whose inputs were read: <paramref name="perRequest"/> fields (<c>user</c>, <c>top_n</c>)
    /// are dropped from the upstream body and the key; every other field but the inputs is in the key.
    /// </summary>
    public static CoalesceMember Member(ReadOnlyMemory<byte> body, List<BodyField> fields, string inputField, string kind,
        List<Range> inputs, ReadOnlySpan<string> perRequest, int topN = 0, int choices = 1)
    {
        var kept = new List<BodyField>(fields.Count);
        foreach (var field in fields)
        {
            if (!perRequest.Contains(field.Name))
            {
                kept.Add(field);
            }
        }

        return new CoalesceMember
        {
            Key = Key(body.Span, kept, inputField, kind),
            Items = inputs.Count,
            Bytes = body.Length,
            Body = body,
            Fields = kept,
            InputField = inputField,
            Inputs = inputs,
            TopN = topN,
            Choices = choices,
        };
    }

    /// <summary>The upstream body: the first member's fields in its order, the inputs field holding every member's inputs in member order.</summary>
    public static byte[] Merge(IReadOnlyList<CoalesceMember> members)
    {
        var first = members[0];
        var size = first.Body.Length + 16;
        foreach (var member in members)
        {
            size += member.Body.Length;
        }

        var buffer = new ArrayBufferWriter<byte>(size);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var field in first.Fields)
            {
                writer.WritePropertyName(field.Name);
                if (field.Name != first.InputField)
                {
                    writer.WriteRawValue(first.Body.Span[field.Value], skipInputValidation: true);
                    continue;
                }

                writer.WriteStartArray();
                foreach (var member in members)
                {
                    foreach (var input in member.Inputs)
                    {
                        writer.WriteRawValue(member.Body.Span[input], skipInputValidation: true);
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The body without a UTF-8 byte order mark, which <see cref="Utf8JsonReader"/> does not accept.</summary>
    public static ReadOnlyMemory<byte> WithoutBom(ReadOnlyMemory<byte> body) => body[(body.Length - RewriteJson.WithoutBom(body.Span).Length)..];

    private static string Key(ReadOnlySpan<byte> body, List<BodyField> fields, string inputField, string kind)
    {
        var sorted = new List<BodyField>(fields.Count);
        foreach (var field in fields)
        {
            if (field.Name != inputField)
            {
                sorted.Add(field);
            }
        }

        sorted.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var field in sorted)
            {
                writer.WritePropertyName(field.Name);
                writer.WriteRawValue(body[field.Value], skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        return string.Concat(inputField, ":", kind, " ", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static bool TryFind(List<BodyField> fields, string name, out BodyField field, [NotNullWhen(false)] out string? reason)
    {
        foreach (var candidate in fields)
        {
            if (candidate.Name == name)
            {
                field = candidate;
                reason = null;
                return true;
            }
        }

        field = default;
        reason = CoalesceReasons.InputShape;
        return false;
    }

    /// <summary>Reads integers up to the closing bracket of a token-id array; the reader starts on the first element.</summary>
    private static bool TryTokenIds(ref Utf8JsonReader reader)
    {
        for (; reader.TokenType != JsonTokenType.EndArray; reader.Read())
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var id) || id < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Fail(string why, out string? reason)
    {
        reason = why;
        return false;
    }
}
