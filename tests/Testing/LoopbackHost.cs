using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;

namespace AiSidecar.Testing;

/// <summary>
/// A <see cref="WebApplication"/> under test on free 127.0.0.1 ports, with a connected gRPC channel (h2c) to its gRPC
/// port and an <see cref="HttpClient"/> on its HTTP port. Disposing it disposes the application.
/// </summary>
public sealed class LoopbackHost : IAsyncDisposable
{
    /// <summary>How often a start is tried again when a picked port was taken before the application bound it.</summary>
    private const int BindAttempts = 3;

    /// <summary>How long <c>StartAsync</c> waits for the gRPC connection.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private Task? _stopping;
    private int _disposed;

    private LoopbackHost(WebApplication app, LoopbackPorts ports, GrpcChannel channel)
    {
        App = app;
        Ports = ports;
        Channel = channel;
        Http = new HttpClient { BaseAddress = ports.HttpUri };
    }

    /// <summary>The application.</summary>
    public WebApplication App { get; }

    /// <summary>The ports it listens on.</summary>
    public LoopbackPorts Ports { get; }

    /// <summary>The gRPC port's address.</summary>
    public Uri GrpcUri => Ports.GrpcUri;

    /// <summary>The HTTP port's address.</summary>
    public Uri HttpUri => Ports.HttpUri;

    /// <summary>A channel to the gRPC port, connected once <c>StartAsync</c> returns.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>A client whose base address is the HTTP port.</summary>
    public HttpClient Http { get; }

    /// <summary>
    /// Builds the application on free ports with <paramref name="build"/>, starts it and connects the channel; when a
    /// port was taken in the meantime, disposes that application and builds another on other ports.
    /// </summary>
    /// <param name="build">Builds the application listening on the given ports.</param>
    /// <param name="createChannel">Creates the gRPC channel for an address; default <see cref="GrpcChannel.ForAddress(Uri)"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<LoopbackHost> StartAsync(Func<LoopbackPorts, WebApplication> build,
        Func<Uri, GrpcChannel>? createChannel = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        for (var attempt = 1; ; attempt++)
        {
            var ports = LoopbackPorts.Pick();
            var app = build(ports);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException e) when (attempt < BindAttempts && IsAddressInUse(e))
            {
                await app.DisposeAsync();
                continue;
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }

            return await ConnectAsync(app, ports, createChannel, cancellationToken);
        }
    }

    /// <summary>Starts <paramref name="app"/>, built to listen on <paramref name="ports"/>, and connects the channel; the host owns it.</summary>
    /// <param name="app">The application, not started.</param>
    /// <param name="ports">The ports it listens on (from <see cref="LoopbackPorts.Pick"/>).</param>
    /// <param name="createChannel">Creates the gRPC channel for an address; default <see cref="GrpcChannel.ForAddress(Uri)"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<LoopbackHost> StartAsync(WebApplication app, LoopbackPorts ports,
        Func<Uri, GrpcChannel>? createChannel = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return await ConnectAsync(app, ports, createChannel, cancellationToken);
    }

    /// <summary>Stops the application gracefully (open calls drain) without disposing it; later calls wait for the same stop.</summary>
    /// <param name="cancellationToken">Ends the graceful part of the stop.</param>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _stopping ??= App.StopAsync(cancellationToken);
        }
    }

    /// <summary>Disposes the clients, stops the application unless stopped already, and disposes it; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Clients first: their open streams would hold up the graceful stop.
        Channel.Dispose();
        Http.Dispose();
        try
        {
            await StopAsync();
        }
        finally
        {
            await App.DisposeAsync();
        }
    }

    private static async Task<LoopbackHost> ConnectAsync(WebApplication app, LoopbackPorts ports,
        Func<Uri, GrpcChannel>? createChannel, CancellationToken cancellationToken)
    {
        var host = new LoopbackHost(app, ports, (createChannel ?? GrpcChannel.ForAddress)(ports.GrpcUri));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            await host.Channel.ConnectAsync(timeout.Token);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kestrel reports a taken port as an <see cref="IOException"/> around an <see cref="AddressInUseException"/>.</summary>
    private static bool IsAddressInUse(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }
}
