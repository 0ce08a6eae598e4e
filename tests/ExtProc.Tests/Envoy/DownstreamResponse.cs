using System.Text;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>What the downstream client finally receives.</summary>
public sealed record DownstreamResponse
{
    public required int Status { get; init; }

    /// <summary>Headers without <c>:status</c>.</summary>
    public required HttpHeaderList Headers { get; init; }

    public required byte[] Body { get; init; }

    public HttpHeaderList? Trailers { get; init; }

    /// <summary>True when Envoy had to reset the downstream stream (an ImmediateResponse after the response started).</summary>
    public bool Reset { get; init; }

    public string BodyText => Encoding.UTF8.GetString(Body);
}
