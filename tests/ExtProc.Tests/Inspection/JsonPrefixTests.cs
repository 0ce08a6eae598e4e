using System.Text;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Tests.Inspection;

public sealed class JsonPrefixTests
{
    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"us""", true)]
    [InlineData("""{"a":[1,2""", true)]
    [InlineData("""{""", true)]
    [InlineData("""{"a":1}""", false)]
    [InlineData("""{"a":1}   """, false)]
    [InlineData("""{"a":}""", false)]
    [InlineData("""{"a" 1""", false)]
    [InlineData("""not json""", false)]
    public void IsIncomplete_Prefixes_TellsCutOffFromMalformed(string json, bool expected)
    {
        Assert.Equal(expected, JsonPrefix.IsIncomplete(Encoding.UTF8.GetBytes(json)));
    }
}
