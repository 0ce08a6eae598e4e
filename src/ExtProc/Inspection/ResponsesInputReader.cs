using System.Text.Json;

namespace AiSidecar.ExtProc.Inspection;

/// <summary>Reads the responses API's <c>instructions</c> and <c>input</c> (a string or an array of items).</summary>
internal static class ResponsesInputReader
{
    public static List<ChatMessage> Read(JsonElement root, List<string> texts, ItemLimits limits)
    {
        if (JsonFields.OptionalString(root, "instructions", "instructions") is { } instructions)
        {
            texts.Add(instructions);
        }

        var input = JsonFields.Require(root, "input");
        var messages = new List<ChatMessage>();
        if (input.ValueKind == JsonValueKind.String)
        {
            texts.Add(input.GetString()!);
            return messages;
        }

        JsonFields.RequireKind(input, JsonValueKind.Array, "input", "a string or an array of input items");
        limits.Messages(input, "input");
        var index = 0;
        foreach (var item in input.EnumerateArray())
        {
            var param = $"input[{index++}]";
            JsonFields.RequireKind(item, JsonValueKind.Object, param, "an input item object");
            if (item.TryGetProperty("role", out _))
            {
                messages.Add(ChatMessageReader.Read(item, param, limits));
            }
            else
            {
                // Tool calls and their outputs carry text the model reads.
                AddIfPresent(item, "arguments", param, texts, limits);
                AddIfPresent(item, "output", param, texts, limits);
            }
        }

        return messages;
    }

    private static void AddIfPresent(JsonElement item, string name, string param, List<string> texts, ItemLimits limits)
    {
        if (JsonFields.Find(item, name) is { ValueKind: JsonValueKind.String } value)
        {
            texts.Add(value.GetString()!);
        }
        else if (JsonFields.Find(item, name) is { ValueKind: JsonValueKind.Array } parts)
        {
            ChatMessageReader.ReadContent(parts, $"{param}.{name}", texts, limits);
        }
    }
}
