using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AiSidecar.EngineSimulator.Api;

/// <summary>Reads request fields as vLLM's OpenAI-compatible server accepts them; writes JSON bodies.</summary>
internal static class RequestJson
{
    /// <summary>
    /// vLLM's JSON (Starlette's <c>ensure_ascii=False</c>): compact, non-ASCII text and quotes written as they are.
    /// </summary>
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// <c>input</c> / <c>prompt</c>: a string, an array of strings, an array of token ids (one pretokenized input) or
    /// an array of token id arrays. Required and not empty.
    /// </summary>
    public static IReadOnlyList<ModelInput> Inputs(JsonElement root, string name)
    {
        const string Shapes = "a string, an array of strings, an array of token ids or an array of token id arrays";
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw SimulatorException.Invalid($"'{name}' is required.", name);
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            return text.Length > 0 ? [ModelInput.FromText(text)] : throw SimulatorException.Invalid($"'{name}' must not be empty.", name);
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            throw SimulatorException.Invalid($"'{name}' must be {Shapes}, not empty.", name);
        }

        var first = value[0].ValueKind;
        if (first == JsonValueKind.Number)
        {
            return [ModelInput.FromTokenIds(TokenIds(value, name))];
        }

        var inputs = new List<ModelInput>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            inputs.Add(item.ValueKind == first ? first switch
            {
                JsonValueKind.String => ModelInput.FromText(item.GetString()!),
                JsonValueKind.Array => ModelInput.FromTokenIds(TokenIds(item, name)),
                _ => throw SimulatorException.Invalid($"'{name}' must be {Shapes}.", name),
            } : throw SimulatorException.Invalid($"'{name}' must be {Shapes}; it mixes kinds.", name));
        }

        return inputs;
    }

    /// <summary>An optional integer of at least <paramref name="min"/> (null when absent or null).</summary>
    public static int? Int(JsonElement root, string name, int min)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min
            ? number
            : throw SimulatorException.Invalid($"'{name}' must be an integer of at least {min}.", name);
    }

    /// <summary>An optional boolean.</summary>
    public static bool? Bool(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw SimulatorException.Invalid($"'{name}' must be a boolean.", name);
    }

    /// <summary>An optional string.</summary>
    public static string? String(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw SimulatorException.Invalid($"'{name}' must be a string.", name);
    }

    /// <summary>The model a request names, or the simulator's own name.</summary>
    public static string Model(JsonElement root, SimulatorOptions options) => String(root, "model") ?? options.Model;

    /// <summary>A JSON body written by <paramref name="write"/>.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// vLLM's error body: <c>{"error":{"message","type","param","code"}}</c>, the type named after the status as
    /// OpenAI's clients name their exceptions, the code the status.
    /// </summary>
    public static byte[] Error(int status, string message, string? param) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", message);
        w.WriteString("type", status switch
        {
            401 => "AuthenticationError",
            404 => "NotFoundError",
            429 => "RateLimitError",
            >= 500 => "InternalServerError",
            _ => "BadRequestError",
        });
        w.WriteString("param", param);
        w.WriteNumber("code", status);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static int[] TokenIds(JsonElement array, string name)
    {
        var ids = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var id in array.EnumerateArray())
        {
            ids[i++] = id.ValueKind == JsonValueKind.Number && id.TryGetInt32(out var value) && value >= 0
                ? value
                : throw SimulatorException.Invalid($"'{name}' token ids must be non-negative integers.", name);
        }

        return ids.Length > 0 ? ids : throw SimulatorException.Invalid($"'{name}' token id arrays must not be empty.", name);
    }
}
