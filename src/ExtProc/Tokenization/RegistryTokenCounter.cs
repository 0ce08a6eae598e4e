using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>Counts each request with its model's tokenizer and chat format, from the registry.</summary>
internal sealed class RegistryTokenCounter(TokenizerRegistry registry) : ITokenCounter
{
    public string Name => registry.DefaultName;

    public int CountPrompt(InferenceRequest request) => registry.Resolve(request.Model).Count(request);
}
