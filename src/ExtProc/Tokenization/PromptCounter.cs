using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tokenization.Templates;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>A model's tokenizer joined with its chat format: counts whole requests.</summary>
/// <param name="tokenizer">The model's tokenizer.</param>
/// <param name="format">Its chat format.</param>
/// <param name="nonTextPartTokens">Tokens counted per image, audio or file part (<c>tokenization.nonTextPartTokens</c>).</param>
/// <param name="maxMergeBytes">The longest pre-token merged exactly (<c>tokenization.maxMergeBytes</c>; 0 = no limit).</param>
internal sealed class PromptCounter(ITextTokenizer tokenizer, IPromptFormat format, int nonTextPartTokens, int maxMergeBytes)
{
    public ITextTokenizer Tokenizer => tokenizer;

    public IPromptFormat Format => format;

    /// <summary>Counts <paramref name="request"/> within a new budget: the count, and whether it is exact or an upper bound.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired; counting stopped.</exception>
    public PromptCount Count(InferenceRequest request, CancellationToken cancellation = default)
    {
        var budget = new CountBudget(maxMergeBytes, cancellation);
        var tokens = Count(request, budget);
        return new PromptCount(tokens, budget.Exact);
    }

    /// <summary>Counts <paramref name="request"/> within <paramref name="budget"/>.</summary>
    public int Count(InferenceRequest request, CountBudget budget)
    {
        var total = request.PretokenizedTokens + (request.NonTextParts * nonTextPartTokens);
        foreach (var text in request.Texts)
        {
            total += text.Length == 0 ? 0 : tokenizer.CountTokens(text, budget);
        }

        if (request.Kind is ApiKind.Completions or ApiKind.Embeddings)
        {
            total += request.Texts.Count * tokenizer.PromptSpecialTokens;
        }

        if (request.Messages.Count > 0)
        {
            total += format.CountMessages(request, tokenizer, budget);
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
