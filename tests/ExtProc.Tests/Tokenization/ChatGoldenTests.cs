using System.Text;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tokenization;
using AiSidecar.ExtProc.Tokenization.Templates;

namespace AiSidecar.ExtProc.Tests.Tokenization;

/// <summary>Rendered chats must equal each model's own chat template's output, and count as the reference does.</summary>
public sealed class ChatGoldenTests
{
    [Theory]
    [InlineData("chatml", "qwen3")]
    [InlineData("llama3", "llama3")]
    [InlineData("deepseek_v3", "deepseek_v3")]
    [InlineData("openai", "o200k_base")]
    [InlineData("openai", "cl100k_base")]
    public void Count_GoldenChats_EqualsReference(string family, string tokenizer)
    {
        var golden = GoldenFiles.Chat(family, tokenizer);
        var format = PromptFormats.For((ChatTemplate)System.ComponentModel.TypeDescriptor.GetConverter(typeof(ChatTemplate)).ConvertFromInvariantString(family)!);
        var counter = new PromptCounter(GoldenFiles.Tokenizer(tokenizer), format, nonTextPartTokens: 0, new TokenizationOptions().MaxMergeBytes);
        var failures = new List<string>();
        foreach (var c in golden.Cases)
        {
            var request = new RequestInspector().Inspect(ApiKind.ChatCompletions, Encoding.UTF8.GetBytes(c.Body));
            if (c.Rendered is { } expected && format.Render(request) is var rendered && rendered != expected)
            {
                failures.Add($"{c.Id}: rendered differs at char {rendered.Zip(expected).TakeWhile(p => p.First == p.Second).Count()}");
            }

            if (counter.Count(request) is var count && count != new PromptCount(c.Count, Exact: true))
            {
                failures.Add($"{c.Id}: count {count}, reference {c.Count}");
            }
        }

        Assert.True(failures.Count == 0, $"{family}/{tokenizer} differs from {golden.Reference}:\n{string.Join('\n', failures)}");
        Assert.NotEmpty(golden.Cases);
    }
}
