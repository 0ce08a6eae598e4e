using System.Text;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>The request as Envoy's router forwards it upstream after ext_proc.</summary>
public sealed record ForwardedRequest
{
    /// <summary>Final headers including <c>:method</c>, <c>:path</c>, <c>:authority</c> and <c>:scheme</c>.</summary>
    public required HttpHeaderList Headers { get; init; }

    public required byte[] Body { get; init; }

    public HttpHeaderList? Trailers { get; init; }

    /// <summary>True when the route cache was cleared while the headers were still held, so the router re-matched.</summary>
    public bool RouteCacheCleared { get; init; }

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Path => Headers[":path"];
}
