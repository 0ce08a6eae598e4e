using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>Counts the prompt tokens of an inspected request.</summary>
public interface ITokenCounter
{
    /// <summary>The tokenizer's name, for example <c>o200k_base</c>.</summary>
    string Name { get; }

    /// <summary>Counts the tokens the model will read for <paramref name="request"/>.</summary>
    int CountPrompt(InferenceRequest request);
}
