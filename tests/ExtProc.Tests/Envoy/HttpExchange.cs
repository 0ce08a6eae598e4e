namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>One HTTP exchange through Envoy: the downstream request and how the upstream answers it.</summary>
public sealed record HttpExchange
{
    public required DownstreamRequest Request { get; init; }

    /// <summary>Produces the upstream response from what Envoy forwarded; defaults to a small JSON 200.</summary>
    public Func<ForwardedRequest, UpstreamResponse> Upstream { get; init; } = static _ => UpstreamResponse.Json("{\"ok\":true}");

    public static HttpExchange For(DownstreamRequest request) => new() { Request = request };

    public static HttpExchange For(DownstreamRequest request, UpstreamResponse response) =>
        new() { Request = request, Upstream = _ => response };
}
