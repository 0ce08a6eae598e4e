using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tokenization;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace AiSidecar.ExtProc.Tests.Tokenization;

public sealed class TiktokenTokenCounterTests
{
    private static TiktokenTokenCounter Counter(string encoding = "o200k_base") =>
        new(Options.Create(new TokenizationOptions { Encoding = encoding }));

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void CountPrompt_HelloWorld_IsTwoTokensInBothEncodings(string encoding)
    {
        // Both encodings split "hello world" into "hello" and " world" (tiktoken reference).
        var request = new InferenceRequest { Kind = ApiKind.Completions, Texts = ["hello world"] };

        Assert.Equal(2, Counter(encoding).CountPrompt(request));
    }

    [Fact]
    public void CountPrompt_Chat_AddsOpenAiPerMessageOverhead()
    {
        var tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");
        var request = new InferenceRequest
        {
            Kind = ApiKind.ChatCompletions,
            Messages =
            [
                new ChatMessage("system", null, ["You are terse."], 0),
                new ChatMessage("user", "ann", ["Hello there", "again"], 1),
            ],
        };
        var content = new[] { "system", "You are terse.", "user", "ann", "Hello there", "again" }.Sum(t => tokenizer.CountTokens(t));

        // 3 per message, 1 per name, 3 to prime the reply.
        Assert.Equal(content + (2 * 3) + 1 + 3, Counter().CountPrompt(request));
    }

    [Fact]
    public void CountPrompt_PretokenizedAndTexts_AreSummed()
    {
        var request = new InferenceRequest { Kind = ApiKind.Completions, Texts = ["hello world", ""], PretokenizedTokens = 7 };

        Assert.Equal(9, Counter().CountPrompt(request));
    }

    [Fact]
    public void Name_IsTheConfiguredEncoding()
    {
        Assert.Equal("cl100k_base", Counter("cl100k_base").Name);
    }
}
