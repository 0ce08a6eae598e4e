using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>Rejected requests get an ImmediateResponse with an OpenAI-style JSON error and an explicit status.</summary>
public sealed class InferenceErrorTests
{
    [Fact]
    public async Task Process_InferencePostWithoutBody_Returns400()
    {
        await using var server = await TestExtProcServer.StartAsync();
        var request = new DownstreamRequest { Method = "POST", Path = "/v1/chat/completions" };

        var result = await server.Client().RunAsync(HttpExchange.For(request));

        Assert.Equal("invalid_request_error", ApiErrorBody.Read(result, 400).Type);
        Assert.Null(result.Forwarded);
    }

    [Theory]
    [InlineData("{\"model\": \"gpt-4o\", \"messages\": [")]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("{\"model\": 123, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")]
    [InlineData("{\"model\": \"gpt-4o\", \"messages\": \"hi\"}")]
    [InlineData("{\"model\": \"gpt-4o\"}")]
    public async Task Process_InvalidChatBody_Returns400InvalidRequestError(string body)
    {
        await using var server = await TestExtProcServer.StartAsync();

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", body)));

        var error = ApiErrorBody.Read(result, 400);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.False(string.IsNullOrEmpty(error.Message));
    }

    [Fact]
    public async Task Process_BodyOverMaxBodyBytesWithContentLength_Returns413()
    {
        await using var server = await TestExtProcServer.StartAsync("processing:\n  maxBodyBytes: 1024\n");
        var body = InferenceBodies.Completion(new string('a', 2000));

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", body)));

        ApiErrorBody.Read(result, 413);
    }

    [Fact]
    public async Task Process_BodyOverMaxBodyBytesWithoutContentLength_Returns413()
    {
        await using var server = await TestExtProcServer.StartAsync("processing:\n  maxBodyBytes: 1024\n");
        var request = DownstreamRequest.Post("/v1/completions", InferenceBodies.Completion(new string('a', 2000)));
        request.Headers.Remove("content-length");

        var result = await server.Client().RunAsync(HttpExchange.For(request));

        ApiErrorBody.Read(result, 413);
    }

    [Fact]
    public async Task Process_ModelOutsideTheCatalogueWhenRejected_Returns404ModelNotFound()
    {
        await using var server = await TestExtProcServer.StartAsync("catalogue:\n  unknownModels: reject\n  models: [{ name: gpt-4o }]\n");

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/chat/completions", InferenceBodies.Chat("hi", "gpt-5"))));

        var error = ApiErrorBody.Read(result, 404);
        Assert.Equal("model_not_found", error.Code);
    }

    [Fact]
    public async Task Process_Rejection_EndsStreamWithoutFurtherMessages()
    {
        await using var server = await TestExtProcServer.StartAsync();

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", "{")));

        Assert.NotNull(result.Received[^1].ImmediateResponse);
        Assert.DoesNotContain(result.Sent, m => m.ResponseHeaders is not null);
    }
}
