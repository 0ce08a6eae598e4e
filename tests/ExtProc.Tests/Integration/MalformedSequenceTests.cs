using AiSidecar.ExtProc.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;
using static AiSidecar.ExtProc.Tests.Infrastructure.RawExtProc;

namespace AiSidecar.ExtProc.Tests.Integration;

/// <summary>Sequences no Envoy sends end the stream in an orderly way and leave the server working.</summary>
public sealed class MalformedSequenceTests
{
    public static TheoryData<string> Sequences => ["body-first", "trailers-only", "response-first", "empty", "headers-twice"];

    private static ProcessingRequest[] Messages(string sequence) => sequence switch
    {
        "body-first" => [new() { RequestBody = new HttpBody { Body = ByteString.CopyFromUtf8("{}"), EndOfStream = true } }],
        "trailers-only" => [new() { RequestTrailers = new HttpTrailers { Trailers = new() } }],
        "response-first" => [new() { ResponseHeaders = new HttpHeaders { EndOfStream = true } }, Headers("GET", "/", true)],
        "empty" => [new()],
        _ => [Headers("POST", "/v1/completions", false), Headers("POST", "/v1/completions", false)],
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public async Task Process_MalformedSequence_EndsStreamWithoutUnhandledError(string sequence)
    {
        await using var server = await TestExtProcServer.StartAsync();
        using var call = new ExternalProcessor.ExternalProcessorClient(server.Channel).Process();
        foreach (var message in Messages(sequence))
        {
            await call.RequestStream.WriteAsync(message);
        }

        await call.RequestStream.CompleteAsync();
        var status = await DrainAsync(call);

        Assert.NotEqual(StatusCode.Unknown, status.StatusCode);
        await AssertServerStillRoutesAsync(server);
    }
}
