using System.Text.Json;

namespace AiSidecar.ExtProc.Inspection;

/// <summary>Reads chat messages (<c>messages</c>, and message items of the responses API).</summary>
internal static class ChatMessageReader
{
    public static List<ChatMessage> ReadAll(JsonElement messages, string param, ItemLimits limits)
    {
        JsonFields.RequireKind(messages, JsonValueKind.Array, param, "an array of message objects");
        limits.Messages(messages, param);
        var result = new List<ChatMessage>(messages.GetArrayLength());
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            result.Add(Read(message, $"{param}[{index++}]", limits));
        }

        return result;
    }

    public static ChatMessage Read(JsonElement message, string param, ItemLimits limits)
    {
        JsonFields.RequireKind(message, JsonValueKind.Object, param, "a message object");
        var role = JsonFields.OptionalString(message, "role", $"{param}.role")
            ?? throw new InspectionException(Errors.ApiErrors.MissingField($"{param}.role"));
        var name = JsonFields.OptionalString(message, "name", $"{param}.name");
        var texts = new List<string>(1);
        var nonText = 0;
        string? contentText = null;
        if (JsonFields.Find(message, "content") is { } content)
        {
            nonText = ReadContent(content, $"{param}.content", texts, limits);

            // Templates see content as one string, text parts joined by a newline (as vLLM does); a string content is
            // reused as read rather than decoded from the JSON a second time.
            contentText = content.ValueKind == JsonValueKind.String ? texts[0] : string.Join('\n', texts);
        }

        if (JsonFields.Find(message, "tool_calls") is { } calls)
        {
            ReadToolCalls(calls, $"{param}.tool_calls", texts, limits);
        }

        return new ChatMessage(role, name, texts, nonText)
        {
            Content = contentText,
            ToolCalls = ChatTemplateFields.ToolCalls(message),
            ReasoningContent = ChatTemplateFields.OptionalText(message, "reasoning_content"),
        };
    }

    /// <summary>Reads string content or an array of content parts; returns the number of non-text parts.</summary>
    public static int ReadContent(JsonElement content, string param, List<string> texts, ItemLimits limits)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            texts.Add(content.GetString()!);
            return 0;
        }

        JsonFields.RequireKind(content, JsonValueKind.Array, param, "a string or an array of content parts");
        limits.ContentParts(content, param);
        var nonText = 0;
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partParam = $"{param}[{index++}]";
            JsonFields.RequireKind(part, JsonValueKind.Object, partParam, "a content part object");
            var text = JsonFields.OptionalString(part, "text", $"{partParam}.text")
                ?? JsonFields.OptionalString(part, "refusal", $"{partParam}.refusal");
            if (text is null)
            {
                limits.MediaPart();
                nonText++;
            }
            else
            {
                texts.Add(text);
            }
        }

        return nonText;
    }

    private static void ReadToolCalls(JsonElement calls, string param, List<string> texts, ItemLimits limits)
    {
        JsonFields.RequireKind(calls, JsonValueKind.Array, param, "an array of tool calls");
        limits.ToolCalls(calls, param);
        foreach (var call in calls.EnumerateArray())
        {
            if (call.ValueKind == JsonValueKind.Object && JsonFields.Find(call, "function") is { ValueKind: JsonValueKind.Object } function)
            {
                AddIfString(function, "name", texts);
                AddIfString(function, "arguments", texts);
            }
        }
    }

    private static void AddIfString(JsonElement obj, string name, List<string> texts)
    {
        if (obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            texts.Add(value.GetString()!);
        }
    }
}
