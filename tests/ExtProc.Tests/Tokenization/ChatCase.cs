using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiSidecar.ExtProc.Tests.Tokenization;

internal sealed record ChatCase(string Id, JsonElement Request, string? Rendered, int Count, int[]? Ids)
{
    [JsonIgnore]
    public string Body => Request.GetRawText();
}
