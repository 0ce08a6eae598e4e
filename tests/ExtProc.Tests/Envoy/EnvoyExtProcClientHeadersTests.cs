using AiSidecar.ExtProc.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using static AiSidecar.ExtProc.Tests.Infrastructure.ExtProcReplies;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>Checks the Envoy model itself against a scripted server: headers on the wire and header mutation rules.</summary>
public sealed class EnvoyExtProcClientHeadersTests
{
    [Fact]
    public async Task RunAsync_GetWithoutBody_SendsHeadersOnlyWithEndOfStreamAndRawValues()
    {
        await using var server = await ScriptedExtProcServer.StartAsync(Continue);
        var request = DownstreamRequest.Get("/v1/models") with { Headers = new HttpHeaderList().Add("Accept", "a").Add("accept", "b") };

        var result = await server.Client().RunAsync(HttpExchange.For(request));

        var sent = result.Sent;
        Assert.Equal([ProcessingRequest.RequestOneofCase.RequestHeaders, ProcessingRequest.RequestOneofCase.ResponseHeaders],
            sent.Select(m => m.RequestCase));
        var headers = sent[0].RequestHeaders;
        Assert.True(headers.EndOfStream);
        Assert.All(headers.Headers.Headers, h => Assert.Equal(string.Empty, h.Value));
        Assert.Equal(["a", "b"], headers.Headers.Headers.Where(h => h.Key == "accept").Select(h => h.RawValue.ToStringUtf8()));
        Assert.Equal("GET", headers.Headers.Headers.Single(h => h.Key == ":method").RawValue.ToStringUtf8());
        Assert.NotNull(sent[0].ProtocolConfig);
        Assert.Null(sent[1].ProtocolConfig);
        Assert.Equal("200", sent[1].ResponseHeaders.Headers.Headers.Single(h => h.Key == ":status").RawValue.ToStringUtf8());
        Assert.Equal(200, result.Response.Status);
    }

    [Fact]
    public async Task RunAsync_MutationOfRoutingAndEnvoyHeaders_IsIgnoredButPathIsSet()
    {
        var mutation = Mutation(Set(":authority", "evil"), Set(":method", "PUT"), Set("x-envoy-foo", "1"), Set(":path", "/new"), Set("x-a", "1"));
        mutation.RemoveHeaders.Add(":scheme");
        await using var server = await ScriptedExtProcServer.StartAsync(r =>
            r.RequestCase == ProcessingRequest.RequestOneofCase.RequestHeaders ? With(r, new CommonResponse { HeaderMutation = mutation }) : Continue(r));

        var result = await server.Client().RunAsync(HttpExchange.For(DownstreamRequest.Get("/old")));

        var forwarded = result.Forwarded!.Headers;
        Assert.Equal("api.example.com", forwarded[":authority"]);
        Assert.Equal("GET", forwarded[":method"]);
        Assert.Equal("http", forwarded[":scheme"]);
        Assert.Null(forwarded["x-envoy-foo"]);
        Assert.Equal("/new", forwarded[":path"]);
        Assert.Equal("1", forwarded["x-a"]);
    }

    [Fact]
    public async Task RunAsync_AppendUnsetOrTrue_OverwritesOrAdds()
    {
        var append = Set("x-b", "2");
#pragma warning disable CS0612
        append.Append = true;
#pragma warning restore CS0612
        var mutation = Mutation(Set("x-a", "new"), append);
        await using var server = await ScriptedExtProcServer.StartAsync(r =>
            r.RequestCase == ProcessingRequest.RequestOneofCase.RequestHeaders ? With(r, new CommonResponse { HeaderMutation = mutation }) : Continue(r));
        var request = DownstreamRequest.Get("/") with { Headers = new HttpHeaderList().Add("x-a", "old1").Add("x-a", "old2").Add("x-b", "1") };

        var result = await server.Client().RunAsync(HttpExchange.For(request));

        Assert.Equal(["new"], result.Forwarded!.Headers.GetAll("x-a"));
        Assert.Equal(["1", "2"], result.Forwarded.Headers.GetAll("x-b"));
    }
}
