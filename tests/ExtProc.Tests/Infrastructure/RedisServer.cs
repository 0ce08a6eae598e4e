using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AiSidecar.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AiSidecar.ExtProc.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> process (as the build found it: <c>Infrastructure/Redis.targets</c>) on its own free
/// loopback port with its own data folder, nothing persisted (<c>--save '' --appendonly no</c>). One per test class
/// (<c>IClassFixture</c>); a test may kill it and start it again on the same port.
/// </summary>
public sealed class RedisServer : IAsyncLifetime, IAsyncDisposable
{
    private static readonly Lazy<(string Path, string? LibraryPath)> Binary = new(() =>
    {
        var file = Path.Combine(AppContext.BaseDirectory, "redis-server.txt");
        var lines = File.Exists(file) ? File.ReadAllLines(file) : [];
        if (lines.Length == 0 || !File.Exists(lines[0]))
        {
            throw new InvalidOperationException($"{file} does not name redis-server: build the test project (tools/debian/find-binaries.sh writes it).");
        }

        var library = lines.Skip(1).FirstOrDefault(l => l.StartsWith("LD_LIBRARY_PATH=", StringComparison.Ordinal));
        return (lines[0], library?["LD_LIBRARY_PATH=".Length..]);
    });

    private readonly string _directory = Directory.CreateTempSubdirectory("redis-test-").FullName;
    private Process? _process;
    private int _disposed;

    /// <summary>The port it listens on (kept across a restart).</summary>
    public int Port { get; } = FreePort();

    /// <summary>Its address for <c>redis.endpoints</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>
    /// The <c>processing</c> and <c>redis</c> sections of a server on <paramref name="endpoint"/>: generous timeouts
    /// (a loaded test machine never cuts a call; the message deadline stays above the Redis timeout, as the config requires).
    /// </summary>
    public static string ConfigFor(string endpoint, string keyPrefix, int operationTimeoutMs = 2000) => $"""
        processing:
          messageTimeoutMs: 10000
        redis:
          endpoints: ["{endpoint}"]
          operationTimeoutMs: {operationTimeoutMs}
          connectTimeoutMs: 2000
          keyPrefix: "{keyPrefix}"
        """;

    /// <summary>
    /// Waits until <paramref name="server"/>'s Redis connection is up: it connects at start without holding the start, so
    /// a request sent at once may find none (and go on unbudgeted or uncached, as Redis down means).
    /// </summary>
    public static Task ConnectedAsync(TestExtProcServer server) =>
        Until.TrueAsync(() => server.App.Services.GetRequiredService<AiSidecar.ExtProc.Redis.RedisConnection>().IsConnected, "the server's Redis connection");

    public Task InitializeAsync() => StartAsync();

    /// <summary>A started server that the calling test owns and stops (<c>await using</c>).</summary>
    public static async Task<RedisServer> StartedAsync()
    {
        var redis = new RedisServer();
        await redis.InitializeAsync();
        return redis;
    }

    /// <summary>Starts the server and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var (path, library) = Binary.Value;
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", _directory, "--protected-mode", "no", "--daemonize", "no" })
        {
            start.ArgumentList.Add(arg);
        }

        if (library is not null)
        {
            start.Environment["LD_LIBRARY_PATH"] = library;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode} at start");
            }

            if (await PingsAsync())
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException("redis-server did not accept connections within 20 s");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Kills the server at once (SIGKILL): connections drop, nothing is saved.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Sends <paramref name="command"/> (inline protocol) and returns the first reply line.</summary>
    /// <summary>
    /// <see cref="CommandAsync"/> without the thread pool: for a callback that must not wait on it (an upstream the
    /// Envoy client calls synchronously, while the server's own Redis replies need pool threads).
    /// </summary>
    public string Command(string command)
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        stream.Write(System.Text.Encoding.ASCII.GetBytes(command + "\r\n"));
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        var line = reader.ReadLine() ?? "";
        return line.StartsWith('$') && line != "$-1" ? reader.ReadLine() ?? "" : line;
    }

    public async Task<string> CommandAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command + "\r\n"));
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        var line = await reader.ReadLineAsync() ?? "";
        return line.StartsWith('$') && line != "$-1" ? await reader.ReadLineAsync() ?? "" : line;
    }

    /// <summary>Stops the server and deletes its folder; once, whichever disposal interface a runner calls.</summary>
    public async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await KillAsync();
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    private async Task<bool> PingsAsync()
    {
        try
        {
            return await CommandAsync("PING") == "+PONG";
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
