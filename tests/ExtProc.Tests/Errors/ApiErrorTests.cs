using System.Text.Json;
using AiSidecar.ExtProc.Errors;

namespace AiSidecar.ExtProc.Tests.Errors;

public sealed class ApiErrorTests
{
    [Fact]
    public void ToJsonBytes_ModelNotFound_HasOpenAiShape()
    {
        var error = ApiErrors.ModelNotFound("gpt-x");

        using var json = JsonDocument.Parse(error.ToJsonBytes());
        var body = json.RootElement.GetProperty("error");

        Assert.Equal(404, error.Status);
        Assert.Equal("model_not_found", body.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", body.GetProperty("type").GetString());
        Assert.Equal("model", body.GetProperty("param").GetString());
        Assert.Contains("gpt-x", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToJsonBytes_NoParam_WritesJsonNull()
    {
        using var json = JsonDocument.Parse(ApiErrors.BodyTooLarge(10).ToJsonBytes());

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("error").GetProperty("param").ValueKind);
    }
}
