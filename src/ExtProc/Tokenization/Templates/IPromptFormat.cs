using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Tokenization.Templates;

/// <summary>How a model family turns chat messages into the prompt it reads (a chat template or a count rule).</summary>
internal interface IPromptFormat
{
    /// <summary>The family name used in the config: <c>openai</c>, <c>chatml</c>, <c>llama3</c>, <c>deepseek_v3</c>.</summary>
    string Family { get; }

    /// <summary>Added tokens the tokenizer must know for the rendered prompt to be counted exactly.</summary>
    IReadOnlyList<string> RequiredTokens { get; }

    /// <summary>Counts the chat messages of <paramref name="request"/> (plus tools and generation prompt) within <paramref name="budget"/>.</summary>
    int CountMessages(InferenceRequest request, ITextTokenizer tokenizer, CountBudget budget);

    /// <summary>The prompt as the model sees it, for the <c>tokens</c> command.</summary>
    string Render(InferenceRequest request);
}
