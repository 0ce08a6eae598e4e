using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>The <c>serve-null</c> command: a server that stops by itself after <c>--max-seconds</c>.</summary>
internal static class ServerCommands
{
    /// <summary>
    /// <c>serve-null [--port 50061] [--address 127.0.0.1] [--max-seconds 3600]</c>: the null processor with the real
    /// server's Kestrel settings (h2c only, 1000 streams per connection, the same message limit).
    /// </summary>
    public static async Task<int> ServeNullAsync(IReadOnlyList<string> args)
    {
        var port = 50061;
        var address = IPAddress.Loopback;
        var maxSeconds = 3600;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--port": port = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--address": address = Loopback.RequireAddress(args[++i]); break;
                case "--max-seconds": maxSeconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = new AiSidecar.ExtProc.Hosting.ServerOptions().MaxReceiveMessageBytes);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(address, port, o => o.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        app.MapGrpcService<NullProcessorService>();
        await app.StartAsync().ConfigureAwait(false);
        Console.WriteLine($"null processor listening: grpc=http://{new IPEndPoint(address, port)} pid={Environment.ProcessId}");
        await WaitForEndAsync(app, maxSeconds).ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// Runs until Ctrl+C, SIGTERM or the time limit, then stops and disposes <paramref name="app"/>; with
    /// <paramref name="abortOpen"/>, open requests (endless streams) are aborted rather than waited for.
    /// </summary>
    internal static async Task WaitForEndAsync(WebApplication app, int maxSeconds, bool abortOpen = false)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(app.Lifetime.ApplicationStopping);
        stop.CancelAfter(TimeSpan.FromSeconds(maxSeconds));
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(new CancellationToken(canceled: abortOpen)).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
