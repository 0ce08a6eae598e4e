using System.Text;
namespace AiSidecar.ExtProc.Tests.Coalescing.Codecs;
public sealed class TmpDump
{
    [Fact]
    public void Dump_Samples_Written()
    {
        File.WriteAllText("/tmp/codec-samples.txt", string.Join("\n\n", new[]
        {
            Encoding.UTF8.GetString(FakeEngine.Embeddings(Encoding.UTF8.GetBytes("""{"model":"e5","input":["a b","c"]}"""))),
            Encoding.UTF8.GetString(FakeEngine.Embeddings(Encoding.UTF8.GetBytes("""{"model":"e5","input":["a b","c"],"encoding_format":"base64","dimensions":16}"""))),
            Encoding.UTF8.GetString(FakeEngine.Rerank(Encoding.UTF8.GetBytes("""{"model":"bge","query":"q","documents":["same","other","same"],"top_n":2}"""))),
            Encoding.UTF8.GetString(FakeEngine.Rerank(Encoding.UTF8.GetBytes("""{"query":"q","texts":["same","other","same"],"return_text":true}"""))),
            Encoding.UTF8.GetString(FakeEngine.Completions(Encoding.UTF8.GetBytes("""{"model":"q","prompt":["a b","c"],"n":2}"""))),
        }));
    }
}
