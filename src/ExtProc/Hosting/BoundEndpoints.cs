using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AiSidecar.ExtProc.Hosting;

/// <summary>The listeners' actual addresses once the server has started (ports may have been 0).</summary>
internal sealed class BoundEndpoints
{
    internal ListenOptions? GrpcListener { get; set; }

    internal ListenOptions? HttpListener { get; set; }

    /// <summary>URI a local client uses to reach the gRPC listener.</summary>
    public Uri GrpcUri => ToUri(GrpcListener);

    /// <summary>URI a local client uses to reach the HTTP listener.</summary>
    public Uri HttpUri => ToUri(HttpListener);

    internal int GrpcPort => GrpcListener?.IPEndPoint?.Port ?? -1;

    internal int HttpPort => HttpListener?.IPEndPoint?.Port ?? -1;

    private static Uri ToUri(ListenOptions? listener)
    {
        var endpoint = listener?.IPEndPoint ?? throw new InvalidOperationException("The server has not started.");
        var address = endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : endpoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : endpoint.Address;
        return new Uri($"http://{new IPEndPoint(address, endpoint.Port)}");
    }
}
