using System.Net;
using System.Net.Sockets;

namespace AiSidecar.Testing;

/// <summary>Two loopback ports for a server under test: one for gRPC (h2c), one for HTTP/1.1.</summary>
/// <param name="Grpc">The gRPC port.</param>
/// <param name="Http">The HTTP port (metrics, probes).</param>
public readonly record struct LoopbackPorts(int Grpc, int Http)
{
    /// <summary>The address a client dials for gRPC.</summary>
    public Uri GrpcUri => new($"http://127.0.0.1:{Grpc}");

    /// <summary>The address a client dials for HTTP.</summary>
    public Uri HttpUri => new($"http://127.0.0.1:{Http}");

    /// <summary>Two ports free on 127.0.0.1 now; both are held until both are known, so they differ.</summary>
    public static LoopbackPorts Pick()
    {
        using var grpc = Bind();
        using var http = Bind();
        return new LoopbackPorts(((IPEndPoint)grpc.LocalEndPoint!).Port, ((IPEndPoint)http.LocalEndPoint!).Port);
    }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
