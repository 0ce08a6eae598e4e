using System.Text.Json;
using AiSidecar.ExtProc.Tokenization.Templates;

namespace AiSidecar.ExtProc.Tests.Tokenization;

public sealed class PythonJsonTests
{
    [Fact]
    public void Serialize_NestedObject_UsesPythonSeparatorsAndKeepsUnicode()
    {
        using var document = JsonDocument.Parse("""{"b":[1,2.5,true,null],"a":{"s":"Zürich \"q\"\n\u0001"}}""");

        Assert.Equal("{\"b\": [1, 2.5, true, null], \"a\": {\"s\": \"Zürich \\\"q\\\"\\n\\u0001\"}}", PythonJson.Serialize(document.RootElement));
    }

    [Fact]
    public void Serialize_UnpairedSurrogateEscape_FallsBackToRawText()
    {
        using var document = JsonDocument.Parse("""{"s":"\ud800"}""");

        Assert.Equal("""{"s":"\ud800"}""", PythonJson.Serialize(document.RootElement));
    }

    [Theory]
    [InlineData("""{"city":"Oslo","days":2}""", """{"city": "Oslo", "days": 2}""")]
    [InlineData("not json", "not json")]
    [InlineData("[1,2]", "[1,2]")]
    public void ReformatObject_ToolArguments_RewritesObjectsOnly(string arguments, string expected)
    {
        Assert.Equal(expected, PythonJson.ReformatObject(arguments));
    }
}
