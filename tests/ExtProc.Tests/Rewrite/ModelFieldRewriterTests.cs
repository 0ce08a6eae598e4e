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

    /// <summary>Found by fuzzing (docs/fuzzing.md): comparing a name that escapes an unpaired surrogate threw, and the exchange got a 500.</summary>
    [Fact]
    public void Rewrite_NameEscapingAnUnpairedSurrogate_IsCopiedAsWritten()
    {
        const string Member = "\"su\\ude01zfix\":\"\"";

        var text = Encoding.UTF8.GetString(ModelFieldRewriter.Rewrite(Encoding.UTF8.GetBytes($$"""{"model":"a",{{Member}}}"""), "served").Span);

        Assert.Equal($$"""{"model":"served",{{Member}}}""", text);
    }

    [Fact]
    public void Rewrite_DuplicateModelFields_LeavesOne()
    {
        Assert.Equal("""{"model":"Qwen/Qwen3-8B","input":"x"}""", Rewrite("""{"model":"a","input":"x","model":"b"}"""));
    }
}
