using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Tests.Tokenization;

/// <summary>Plain-text counts and ids must equal the references' (tiktoken encode_ordinary, HF tokenizers).</summary>
public sealed class PlainGoldenTests
{
    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    [InlineData("qwen3")]
    [InlineData("llama3")]
    [InlineData("deepseek_v3")]
    [InlineData("llama2")]
    public void EncodeToIds_GoldenCorpus_EqualsReference(string tokenizer)
    {
        var golden = GoldenFiles.Plain(tokenizer);
        var subject = GoldenFiles.Tokenizer(tokenizer);
        var failures = new List<string>();
        foreach (var c in golden.Cases)
        {
            // Counted as the server counts, within the default merge budget: natural text stays exact.
            var ids = subject.EncodeToIds(c.Input);
            var budget = new CountBudget(new TokenizationOptions().MaxMergeBytes, CancellationToken.None);
            var count = subject.CountTokens(c.Input, budget);
            if (!ids.SequenceEqual(c.Ids) || count != c.Count || !budget.Exact)
            {
                var at = ids.Zip(c.Ids).TakeWhile(p => p.First == p.Second).Count();
                failures.Add($"{c.Id}: count {count} (ids {ids.Count}, exact {budget.Exact}), reference {c.Count}; first difference at token {at}");
            }
        }

        Assert.True(failures.Count == 0, $"{tokenizer} differs from {golden.Reference}:\n{string.Join('\n', failures)}");
        Assert.True(golden.Cases.Count >= 30);
    }
}
