using System.Text;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Tokenization.Templates;

/// <summary>
/// ChatML as Qwen3's chat template writes it: tools in the system turn, tool results as user turns, reasoning kept
/// only after the last user query, and the generation prompt <c>&lt;|im_start|&gt;assistant\n</c>.
/// </summary>
internal sealed class ChatMlFormat : RenderedPromptFormat
{
    private const string Start = "<|im_start|>";
    private const string End = "<|im_end|>";
    private const string ToolsPreamble =
        "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
        + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";
    private const string ToolsPostamble =
        "\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
        + "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>";

    public override string Family => "chatml";

    public override IReadOnlyList<string> RequiredTokens { get; } = [Start, End];

    public override string Render(InferenceRequest request)
    {
        var messages = request.Messages;
        var sb = new StringBuilder();
        var firstIsSystem = messages.Count > 0 && messages[0].Role == "system";
        if (request.Tools.Count > 0)
        {
            sb.Append(Start).Append("system\n");
            if (firstIsSystem)
            {
                sb.Append(messages[0].Content).Append("\n\n");
            }

            sb.Append(ToolsPreamble);
            foreach (var tool in request.Tools)
            {
                sb.Append('\n').Append(PythonJson.Serialize(tool));
            }

            sb.Append(ToolsPostamble).Append(End).Append('\n');
        }
        else if (firstIsSystem)
        {
            sb.Append(Start).Append("system\n").Append(messages[0].Content).Append(End).Append('\n');
        }

        var lastQuery = LastQueryIndex(messages);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var content = message.Content ?? "";
            if (message.Role == "user" || (message.Role == "system" && i != 0))
            {
                sb.Append(Start).Append(message.Role).Append('\n').Append(content).Append(End).Append('\n');
            }
            else if (message.Role == "assistant")
            {
                AppendAssistant(sb, message, content, i > lastQuery, i == messages.Count - 1);
            }
            else if (message.Role == "tool")
            {
                if (i == 0 || messages[i - 1].Role != "tool")
                {
                    sb.Append(Start).Append("user");
                }

                sb.Append("\n<tool_response>\n").Append(content).Append("\n</tool_response>");
                if (i == messages.Count - 1 || messages[i + 1].Role != "tool")
                {
                    sb.Append(End).Append('\n');
                }
            }
        }

        sb.Append(Start).Append("assistant\n");
        if (request.ChatTemplateArgs is { } args && args.TryGetProperty("enable_thinking", out var thinking) && thinking.ValueKind == System.Text.Json.JsonValueKind.False)
        {
            sb.Append("<think>\n\n</think>\n\n");
        }

        return sb.ToString();
    }

    private static int LastQueryIndex(IReadOnlyList<ChatMessage> messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            var content = messages[i].Content ?? "";
            if (messages[i].Role == "user"
                && !(content.StartsWith("<tool_response>", StringComparison.Ordinal) && content.EndsWith("</tool_response>", StringComparison.Ordinal)))
            {
                return i;
            }
        }

        return messages.Count - 1;
    }

    private static void AppendAssistant(StringBuilder sb, ChatMessage message, string content, bool afterLastQuery, bool isLast)
    {
        var reasoning = "";
        if (message.ReasoningContent is { } given)
        {
            reasoning = given;
        }
        else if (content.Contains("</think>", StringComparison.Ordinal))
        {
            var parts = content.Split("</think>");
            reasoning = LStrip(parts[0].TrimEnd('\n').Split("<think>")[^1], '\n');
            content = LStrip(parts[^1], '\n');
        }

        sb.Append(Start).Append("assistant\n");
        if (afterLastQuery && (isLast || reasoning.Length > 0))
        {
            sb.Append("<think>\n").Append(Strip(reasoning, '\n')).Append("\n</think>\n\n").Append(LStrip(content, '\n'));
        }
        else
        {
            sb.Append(content);
        }

        for (var j = 0; j < message.ToolCalls.Count; j++)
        {
            var call = message.ToolCalls[j];
            if (j > 0 || content.Length > 0)
            {
                sb.Append('\n');
            }

            sb.Append("<tool_call>\n{\"name\": \"").Append(call.Name).Append("\", \"arguments\": ").Append(PythonJson.ReformatObject(call.Arguments)).Append("}\n</tool_call>");
        }

        sb.Append(End).Append('\n');
    }
}
