using System.Runtime.InteropServices;
using System.Text.Json;

namespace AiSidecar.ExtProc.Coalescing.Codecs;

/// <summary>
/// The answer side shared by the codecs: the engine's answer is parsed once (<see cref="JsonDocument"/>, pooled),
/// and each member's answer is written with <see cref="Utf8JsonWriter"/>, copying every value the member does not
/// change as the engine's raw JSON (vectors, base64 strings and scores are never decoded or re-encoded).
/// </summary>
internal static class AnswerJson
{
    public const string NotJson = "the upstream answer is not JSON";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Parses the answer once and splits it with <paramref name="split"/>; an answer that is not JSON is an error.</summary>
    public static CoalesceSplit Split(ReadOnlyMemory<byte> response, Func<JsonElement, CoalesceSplit> split)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(response, DocumentOptions);
        }
        catch (JsonException)
        {
            return CoalesceSplit.Fail(NotJson);
        }

        using (document)
        {
            try
            {
                return split(document.RootElement);
            }
            catch (InvalidOperationException)
            {
                // JsonDocument checks string contents lazily: invalid UTF-8 or an unpaired surrogate escape surfaces here.
                return CoalesceSplit.Fail("the upstream answer holds an invalid string");
            }
        }
    }

    /// <summary>The array named <paramref name="name"/> of an object answer, or null.</summary>
    public static JsonElement? List(JsonElement root, ReadOnlySpan<byte> name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list : null;

    /// <summary>
    /// Orders the elements of <paramref name="list"/> by their integer <c>index</c> (the order they came in is not
    /// trusted): every index in <c>[0, expected)</c> must appear exactly once. Returns an error message, or null.
    /// <paramref name="positions"/> holds each element's place in the engine's order.
    /// </summary>
    public static string? ByIndex(JsonElement list, int expected, out JsonElement[] byIndex, out int[] positions)
    {
        byIndex = new JsonElement[expected];
        positions = new int[expected];
        var count = list.GetArrayLength();
        if (count != expected)
        {
            return $"the upstream answer has {count} results for {expected} inputs";
        }

        var seen = new bool[expected];
        var position = 0;
        foreach (var element in list.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty("index"u8, out var value)
                || value.ValueKind != JsonValueKind.Number
                || !value.TryGetInt32(out var index)
                || index < 0 || index >= expected || seen[index])
            {
                return "a result in the upstream answer has a missing, out-of-range or repeated index";
            }

            seen[index] = true;
            byIndex[index] = element;
            positions[index] = position++;
        }

        return null;
    }

    /// <summary>Where each member's items start in the merged inputs; the last entry is the total.</summary>
    public static int[] Offsets(IReadOnlyList<CoalesceMember> members)
    {
        var offsets = new int[members.Count + 1];
        for (var i = 0; i < members.Count; i++)
        {
            offsets[i + 1] = offsets[i] + members[i].Items;
        }

        return offsets;
    }

    /// <summary>The array of <paramref name="count"/> results from <paramref name="start"/>, renumbered from 0.</summary>
    public static void WriteSlice(Utf8JsonWriter writer, JsonElement[] byIndex, int start, int count)
    {
        writer.WriteStartArray();
        for (var i = 0; i < count; i++)
        {
            WriteRenumbered(writer, byIndex[start + i], i);
        }

        writer.WriteEndArray();
    }

    /// <summary>A result object copied with its <c>index</c> replaced by <paramref name="index"/>.</summary>
    public static void WriteRenumbered(Utf8JsonWriter writer, JsonElement element, int index)
    {
        writer.WriteStartObject();
        foreach (var property in element.EnumerateObject())
        {
            WriteName(writer, property);
            if (property.NameEquals("index"u8))
            {
                writer.WriteNumberValue(index);
            }
            else
            {
                WriteRaw(writer, property.Value);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>A property name as the engine wrote it (decoded only when it holds an escape).</summary>
    public static void WriteName(Utf8JsonWriter writer, JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Contains((byte)'\\'))
        {
            writer.WritePropertyName(property.Name);
        }
        else
        {
            writer.WritePropertyName(raw);
        }
    }

    /// <summary>A value as the engine wrote it, byte for byte.</summary>
    public static void WriteRaw(Utf8JsonWriter writer, JsonElement value) =>
        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
}
