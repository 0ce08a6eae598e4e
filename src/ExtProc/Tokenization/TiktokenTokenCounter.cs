using AiSidecar.ExtProc.Inspection;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// Counts tokens with a tiktoken encoding shipped in a NuGet data package, so no file is needed at start.
/// <para/>Chat messages add OpenAI's documented overhead: 3 tokens per message, 1 per name, 3 to prime the reply.
/// </summary>
internal sealed class TiktokenTokenCounter : ITokenCounter
{
    private const int TokensPerMessage = 3;
    private const int TokensPerName = 1;
    private const int ReplyPriming = 3;

    private readonly Tokenizer _tokenizer;

    public TiktokenTokenCounter(IOptions<TokenizationOptions> options)
    {
        Name = options.Value.Encoding;
        _tokenizer = TiktokenTokenizer.CreateForEncoding(Name);
    }

    public string Name { get; }

    public int CountPrompt(InferenceRequest request)
    {
        var total = request.PretokenizedTokens;
        foreach (var text in request.Texts)
        {
            total += Count(text);
        }

        if (request.Messages.Count > 0)
        {
            foreach (var message in request.Messages)
            {
                total += TokensPerMessage + Count(message.Role);
                if (message.Name is { } name)
                {
                    total += TokensPerName + Count(name);
                }

                foreach (var part in message.TextParts)
                {
                    total += Count(part);
                }
            }

            total += ReplyPriming;
        }

        return total;
    }

    private int Count(string text) => text.Length == 0 ? 0 : _tokenizer.CountTokens(text);
}
