using System.Text;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Tokenization.Templates;

/// <summary>
/// DeepSeek V3's chat template: system prompts joined at the top, <c>&lt;｜User｜&gt;</c> / <c>&lt;｜Assistant｜&gt;</c>
/// turns, its tool-call and tool-output blocks, quirks included (tool definitions are not rendered).
/// </summary>
internal sealed class DeepSeekV3Format : RenderedPromptFormat
{
    private const string Bos = "<｜begin▁of▁sentence｜>";
    private const string Eos = "<｜end▁of▁sentence｜>";
    private const string User = "<｜User｜>";
    private const string Assistant = "<｜Assistant｜>";
    private const string CallsBegin = "<｜tool▁calls▁begin｜>";
    private const string CallsEnd = "<｜tool▁calls▁end｜>";
    private const string CallBegin = "<｜tool▁call▁begin｜>";
    private const string CallEnd = "<｜tool▁call▁end｜>";
    private const string Sep = "<｜tool▁sep｜>";
    private const string OutputsBegin = "<｜tool▁outputs▁begin｜>";
    private const string OutputsEnd = "<｜tool▁outputs▁end｜>";
    private const string OutputBegin = "<｜tool▁output▁begin｜>";
    private const string OutputEnd = "<｜tool▁output▁end｜>";

    public override string Family => "deepseek_v3";

    public override IReadOnlyList<string> RequiredTokens { get; } = [Bos, Eos, User, Assistant];

    public override string Render(InferenceRequest request)
    {
        var sb = new StringBuilder(Bos);
        sb.AppendJoin("\n\n", request.Messages.Where(m => m.Role == "system").Select(m => m.Content));
        bool isTool = false, isFirst = false, isOutputFirst = true;
        foreach (var message in request.Messages)
        {
            switch (message.Role)
            {
                case "user":
                    isTool = false;
                    sb.Append(User).Append(message.Content);
                    break;
                case "assistant" when message.Content is null:
                    isTool = false;
                    foreach (var call in message.ToolCalls)
                    {
                        sb.Append(isFirst ? "\n" + CallBegin : Assistant + CallsBegin + CallBegin)
                            .Append(call.Type).Append(Sep).Append(call.Name)
                            .Append("\n```json\n").Append(call.Arguments).Append("\n```").Append(CallEnd);
                        if (isFirst)
                        {
                            sb.Append(CallsEnd).Append(Eos);
                        }

                        isFirst = true;
                    }

                    break;
                case "assistant":
                    sb.Append(isTool ? OutputsEnd : Assistant).Append(message.Content).Append(Eos);
                    isTool = false;
                    break;
                case "tool":
                    isTool = true;
                    sb.Append(isOutputFirst ? OutputsBegin + OutputBegin : "\n" + OutputBegin).Append(message.Content).Append(OutputEnd);
                    isOutputFirst = false;
                    break;
            }
        }

        return sb.Append(isTool ? OutputsEnd : Assistant).ToString();
    }
}
