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
            var ids = subject.EncodeToIds(c.Input);
            var count = subject.CountTokens(c.Input);
            if (!ids.SequenceEqual(c.Ids) || count != c.Count)
            {
                var at = ids.Zip(c.Ids).TakeWhile(p => p.First == p.Second).Count();
                failures.Add($"{c.Id}: count {count} (ids {ids.Count}), reference {c.Count}; first difference at token {at}");
            }
        }

        Assert.True(failures.Count == 0, $"{tokenizer} differs from {golden.Reference}:\n{string.Join('\n', failures)}");
        Assert.True(golden.Cases.Count >= 30);
    }
}
