using Microsoft.ML.Tokenizers;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>Independent token expectations: o200k_base via Microsoft.ML.Tokenizers, chat overhead per OpenAI's cookbook.</summary>
internal static class ExpectedTokens
{
    private static readonly Tokenizer O200k = TiktokenTokenizer.CreateForEncoding("o200k_base");

    public static int Text(string text) => O200k.CountTokens(text);

    /// <summary>
    /// OpenAI cookbook "How to count tokens with tiktoken", num_tokens_from_messages for gpt-4o: 3 tokens per
    /// message, plus the role and content tokens, plus 3 to prime the assistant's reply.
    /// </summary>
    public static int Chat(params (string Role, string Content)[] messages) =>
        messages.Sum(m => 3 + Text(m.Role) + Text(m.Content)) + 3;

    /// <summary>A text of exactly <paramref name="tokens"/> o200k tokens (" hello" repeats as one token each).</summary>
    public static string TextOfTokens(int tokens)
    {
        var text = "hello" + string.Concat(Enumerable.Repeat(" hello", tokens - 1));
        if (Text(text) != tokens)
        {
            throw new InvalidOperationException($"Expected {tokens} tokens, got {Text(text)}.");
        }

        return text;
    }
}
