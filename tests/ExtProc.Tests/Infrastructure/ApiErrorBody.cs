using System.Text.Json;
using AiSidecar.ExtProc.Tests.EnvoyFilter;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>The OpenAI-style error body <c>{"error":{"message","type","param","code"}}</c> of a local reply.</summary>
internal sealed record ApiErrorBody(string Message, string Type, string? Param, string? Code)
{
    /// <summary>Asserts the reply is the server's JSON error with <paramref name="status"/> and parses it.</summary>
    public static ApiErrorBody Read(ExchangeResult result, int status)
    {
        var reply = Assert.IsType<LocalReply>(result.LocalReply);
        Assert.True(reply.FromImmediateResponse, $"Expected the server's ImmediateResponse, got Envoy's own reply: {reply}");
        Assert.Equal(status, reply.Status);
        Assert.Equal("application/json", reply.Headers["content-type"]);
        using var document = JsonDocument.Parse(reply.Body);
        var error = document.RootElement.GetProperty("error");
        foreach (var field in new[] { "message", "type", "param", "code" })
        {
            Assert.True(error.TryGetProperty(field, out _), $"error.{field} is missing: {reply.BodyText}");
        }

        return new ApiErrorBody(
            error.GetProperty("message").GetString()!,
            error.GetProperty("type").GetString()!,
            error.GetProperty("param").GetString(),
            error.GetProperty("code").GetString());
    }
}
