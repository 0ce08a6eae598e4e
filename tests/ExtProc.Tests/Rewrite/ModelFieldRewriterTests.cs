using System.Text;
using AiSidecar.ExtProc.Rewrite;

namespace AiSidecar.ExtProc.Tests.Rewrite;

public sealed class ModelFieldRewriterTests
{
    private static string Rewrite(string body) => Encoding.UTF8.GetString(ModelFieldRewriter.Rewrite(Encoding.UTF8.GetBytes(body), "Qwen/Qwen3-8B").Span);

    [Fact]
    public void Rewrite_ModelField_IsReplacedInPlaceAndTheRestCopied()
    {
        Assert.Equal("""{"input":"x","model":"Qwen/Qwen3-8B","encoding_format":"float"}""",
            Rewrite("""{"input":"x","model":"qwen3","encoding_format":"float"}"""));
    }

    [Fact]
    public void Rewrite_NoModelField_AddsItFirst()
    {
        Assert.Equal("""{"model":"Qwen/Qwen3-8B","input":"x"}""", Rewrite("""{"input":"x"}"""));
    }

    [Fact]
    public void Rewrite_DuplicateModelFields_LeavesOne()
    {
        Assert.Equal("""{"model":"Qwen/Qwen3-8B","input":"x"}""", Rewrite("""{"model":"a","input":"x","model":"b"}"""));
    }
}
