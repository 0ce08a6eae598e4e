using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tokenization.Templates;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>A model's tokenizer joined with its chat format: counts whole requests.</summary>
internal sealed class PromptCounter(ITextTokenizer tokenizer, IPromptFormat format, int nonTextPartTokens)
{
    public ITextTokenizer Tokenizer => tokenizer;

    public IPromptFormat Format => format;

    public int Count(InferenceRequest request)
    {
        var total = request.PretokenizedTokens + (request.NonTextParts * nonTextPartTokens);
        foreach (var text in request.Texts)
        {
            total += text.Length == 0 ? 0 : tokenizer.CountTokens(text);
        }

        if (request.Kind is ApiKind.Completions or ApiKind.Embeddings)
        {
            total += request.Texts.Count * tokenizer.PromptSpecialTokens;
        }

        if (request.Messages.Count > 0)
        {
            total += format.CountMessages(request, tokenizer);
        }

        return total;
    }

    /// <summary>The plain texts and the rendered chat, for the <c>tokens</c> command.</summary>
    public string Render(InferenceRequest request)
    {
        var parts = new List<string>(request.Texts);
        if (request.Messages.Count > 0)
        {
            parts.Add(format.Render(request));
        }

        return string.Join("\n", parts);
    }
}
