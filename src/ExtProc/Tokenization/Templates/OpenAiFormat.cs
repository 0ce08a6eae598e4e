using System.Text;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Tokenization.Templates;

/// <summary>
/// OpenAI's documented chat overhead for GPT-family encodings: 3 tokens per message, 1 per name, 3 to prime the
/// reply. Tool definitions are counted as their JSON text (OpenAI does not document their format: approximate).
/// </summary>
internal sealed class OpenAiFormat : IPromptFormat
{
    private const int TokensPerMessage = 3;
    private const int TokensPerName = 1;
    private const int ReplyPriming = 3;

    public string Family => "openai";

    public IReadOnlyList<string> RequiredTokens => [];

    public int CountMessages(InferenceRequest request, ITextTokenizer tokenizer, CountBudget budget)
    {
        var total = 0;
        foreach (var message in request.Messages)
        {
            total += TokensPerMessage + tokenizer.CountTokens(message.Role, budget);
            if (message.Name is { } name)
            {
                total += TokensPerName + tokenizer.CountTokens(name, budget);
            }

            foreach (var part in message.TextParts)
            {
                total += tokenizer.CountTokens(part, budget);
            }
        }

        foreach (var tool in request.Tools)
        {
            total += tokenizer.CountTokens(tool.GetRawText(), budget);
        }

        return request.Messages.Count > 0 ? total + ReplyPriming : total;
    }

    public string Render(InferenceRequest request)
    {
        // Not the wire format (OpenAI does not publish it): the ChatML-like shape the overhead rule stands for.
        var sb = new StringBuilder();
        foreach (var message in request.Messages)
        {
            sb.Append("<|im_start|>").Append(message.Role);
            if (message.Name is { } name)
            {
                sb.Append(" name=").Append(name);
            }

            sb.Append('\n').AppendJoin("", message.TextParts).Append("<|im_end|>\n");
        }

        return sb.Append("<|im_start|>assistant\n").ToString();
    }
}
