using System.Net.Sockets;
using AiSidecar.GpuAgent.Kubelet.PodResources.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace AiSidecar.GpuAgent.PodResources;

/// <summary>Calls the kubelet's <c>v1.PodResourcesLister/List</c> over its Unix socket.</summary>
/// <remarks>
/// Every connection dials the socket path again, so a kubelet restart (new socket file) is picked up.
/// <c>GrpcChannel.ConnectAsync</c> is never called: it throws with a custom connect callback.
/// </remarks>
internal sealed class PodResourcesClient : IDisposable
{
    private readonly PodResourcesOptions _options;
    private readonly TimeProvider _time;
    private readonly GrpcChannel _channel;
    private readonly PodResourcesLister.PodResourcesListerClient _client;

    public PodResourcesClient(IOptions<PodResourcesOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        var socketPath = _options.SocketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        _client = new PodResourcesLister.PodResourcesListerClient(_channel);
    }

    /// <summary>True when the socket file exists (the agent runs on a node with the directory mounted).</summary>
    public bool SocketExists => File.Exists(_options.SocketPath);

    public async Task<ListPodResourcesResponse> ListAsync(CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow().UtcDateTime + _options.CallTimeout;
        return await _client.ListAsync(new ListPodResourcesRequest(), deadline: deadline, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }

    public void Dispose() => _channel.Dispose();
}
