using System.Globalization;
using AiSidecar.ExtProc.Tests.EnvoyFilter;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>Many streams at once over one channel keep their own state.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Process_200ConcurrentStreamsOnOneChannel_EachGetsItsOwnDecision()
    {
        await using var server = await TestExtProcServer.StartAsync();

        // Behaviour, not latency: a generous timer so a 2-core machine under load still sees every answer.
        var client = server.Client(ExtProcChannels.Buffered with
        {
            MessageTimeout = TimeSpan.FromSeconds(60),
            ResponseBodyMode = BodySendMode.Streamed,
        });
        var exchanges = Enumerable.Range(1, 200).Select(async i =>
        {
            var body = InferenceBodies.Completion(ExpectedTokens.TextOfTokens(i), model: $"model-{i}");
            var result = await client.RunAsync(HttpExchange.For(DownstreamRequest.Post("/v1/completions", body, chunkSize: 64)));
            return (i, result);
        });

        var results = await Task.WhenAll(exchanges);

        Assert.All(results, r =>
        {
            Assert.Null(r.result.LocalReply);
            Assert.Equal($"model-{r.i}", r.result.Forwarded!.Headers["x-ai-model"]);
            Assert.Equal(r.i.ToString(CultureInfo.InvariantCulture), r.result.Forwarded.Headers["x-ai-prompt-tokens"]);
            Assert.Equal("{\"ok\":true}", r.result.Response.BodyText);
        });
    }
}
