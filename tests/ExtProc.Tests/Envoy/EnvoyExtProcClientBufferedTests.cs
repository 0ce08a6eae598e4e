using AiSidecar.ExtProc.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using static AiSidecar.ExtProc.Tests.Infrastructure.ExtProcReplies;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>Checks the Envoy model's BUFFERED mode: one body message, held headers, content-length, route cache, 413.</summary>
public sealed class EnvoyExtProcClientBufferedTests
{
    private static ProcessingResponse RouteOnBody(ProcessingRequest request, bool withMutation) =>
        request.RequestCase == RequestCase.RequestBody
            ? With(request, new CommonResponse { ClearRouteCache = true, HeaderMutation = withMutation ? Mutation(Set("x-pool", "p")) : null })
            : Continue(request);

    [Fact]
    public async Task RunAsync_BodyAnswerWithHeaderMutationAndClearRouteCache_ReRoutes()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(r => RouteOnBody(r, withMutation: true));

        var result = await server.Client(ExtProcChannels.Buffered).RunAsync(HttpExchange.For(DownstreamRequest.Post("/x", "{\"a\":1}", chunkSize: 3)));

        var body = Assert.Single(result.Sent, m => m.RequestCase == RequestCase.RequestBody).RequestBody;
        Assert.True(body.EndOfStream);
        Assert.Equal("{\"a\":1}", body.Body.ToStringUtf8());
        Assert.False(result.Sent[0].RequestHeaders.EndOfStream);
        Assert.True(result.Forwarded!.RouteCacheCleared);
        Assert.Equal("p", result.Forwarded.Headers["x-pool"]);
        Assert.Equal("7", result.Forwarded.Headers["content-length"]);
    }

    [Fact]
    public async Task RunAsync_ClearRouteCacheWithoutHeaderMutation_IsIgnored()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(r => RouteOnBody(r, withMutation: false));

        var result = await server.Client(ExtProcChannels.Buffered).RunAsync(HttpExchange.For(DownstreamRequest.Post("/x", "{}")));

        Assert.False(result.Forwarded!.RouteCacheCleared);
    }

    [Fact]
    public async Task RunAsync_BodyWithTrailers_SendsBodyWithoutEndOfStream()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(Continue);
        var request = DownstreamRequest.Post("/x", "{}") with { Trailers = new HttpHeaderList().Add("x-t", "1") };

        var result = await server.Client(ExtProcChannels.Buffered).RunAsync(HttpExchange.For(request));

        Assert.False(Assert.Single(result.Sent, m => m.RequestCase == RequestCase.RequestBody).RequestBody.EndOfStream);
        Assert.DoesNotContain(result.Sent, m => m.RequestCase == RequestCase.RequestTrailers);
    }
}
