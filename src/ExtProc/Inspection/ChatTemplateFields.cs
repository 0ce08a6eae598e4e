using System.Text.Json;

namespace AiSidecar.ExtProc.Inspection;

/// <summary>Reads what chat templates render beyond the counted text: tool calls, reasoning, tools, template arguments.</summary>
/// <remarks>Lenient by design: a field of an unexpected shape is skipped, never a new client error (only too many tools are).</remarks>
internal static class ChatTemplateFields
{
    public static string? OptionalText(JsonElement message, string name) =>
        JsonFields.Find(message, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static List<ToolCall> ToolCalls(JsonElement message)
    {
        var result = new List<ToolCall>();
        if (JsonFields.Find(message, "tool_calls") is not { ValueKind: JsonValueKind.Array } calls)
        {
            return result;
        }

        foreach (var call in calls.EnumerateArray())
        {
            if (call.ValueKind == JsonValueKind.Object && JsonFields.Find(call, "function") is { ValueKind: JsonValueKind.Object } function)
            {
                var arguments = JsonFields.Find(function, "arguments") switch
                {
                    { ValueKind: JsonValueKind.String } s => s.GetString()!,
                    { } other => other.GetRawText(),
                    null => "",
                };
                result.Add(new ToolCall(OptionalText(call, "id"), OptionalText(call, "type") ?? "function", OptionalText(function, "name") ?? "", arguments));
            }
        }

        return result;
    }

    /// <summary>vLLM's <c>chat_template_kwargs</c> object (for example <c>enable_thinking</c>), detached, or null.</summary>
    public static JsonElement? TemplateArgs(JsonElement root) =>
        JsonFields.Find(root, "chat_template_kwargs") is { ValueKind: JsonValueKind.Object } args ? args.Clone() : null;

    /// <summary>The request's <c>tools</c> definitions, detached from the parsed document.</summary>
    public static IReadOnlyList<JsonElement> Tools(JsonElement root, ItemLimits limits)
    {
        if (JsonFields.Find(root, "tools") is not { ValueKind: JsonValueKind.Array } tools)
        {
            return [];
        }

        limits.Tools(tools);
        return [.. tools.EnumerateArray().Select(t => t.Clone())];
    }
}
