using System.Text;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>A reply Envoy generated itself: from an ImmediateResponse, or from one of its own ext_proc errors.</summary>
public sealed record LocalReply
{
    public required int Status { get; init; }

    /// <summary>Response headers without <c>:status</c> (content-type, content-length, and the server's mutations).</summary>
    public required HttpHeaderList Headers { get; init; }

    public required byte[] Body { get; init; }

    /// <summary><c>%RESPONSE_CODE_DETAILS%</c>, whitespace replaced by '_' as Envoy does.</summary>
    public required string Details { get; init; }

    /// <summary>Set when the reply came from the server's ImmediateResponse (not from an Envoy error).</summary>
    public bool FromImmediateResponse { get; init; }

    /// <summary>The ImmediateResponse <c>grpc_status</c>, when the server set one.</summary>
    public uint? GrpcStatus { get; init; }

    public string BodyText => Encoding.UTF8.GetString(Body);

    public override string ToString() => $"{Status} {Details} [{Headers}] {BodyText}";
}
