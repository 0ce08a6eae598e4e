using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AiSidecar.ExtProc.LoadGen;

/// <summary>
/// The real server binary (<c>ExtProc</c>, copied beside this tool by the project reference, with its own
/// runtimeconfig: server GC as in production) started on free loopback ports, under <c>timeout</c> so it cannot
/// outlive a crashed load generator.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri grpc, Uri http)
    {
        _process = process;
        GrpcUri = grpc;
        MetricsUri = new Uri(http, "/metrics");
    }

    public Uri GrpcUri { get; }

    public Uri MetricsUri { get; }

    /// <summary>True once the server process has exited (crashed, or killed by the OOM killer).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The server's own process id (the child of <c>timeout</c>).</summary>
    public int Pid { get; private set; }

    /// <param name="serverArgs">Extra arguments (config overrides).</param>
    /// <param name="maxLifetime">The server is killed after this, whatever happens to this tool.</param>
    /// <param name="environment">Extra environment variables (<c>DOTNET_GCHeapHardLimit</c>).</param>
    /// <param name="cgroup">A cgroup (v1 memory controller) directory the server runs in, from its first instruction: its limit is the container's.</param>
    /// <param name="unset">Environment variables of this tool the server must not inherit (a tuning meant for the load generator only).</param>
    public static async Task<ServerProcess> StartAsync(IEnumerable<string> serverArgs, TimeSpan maxLifetime,
        IReadOnlyDictionary<string, string>? environment = null, string? cgroup = null, IEnumerable<string>? unset = null)
    {
        var grpcPort = FreePort();
        var httpPort = FreePort();
        var server = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "ExtProc.exe" : "ExtProc");
        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var name in unset ?? [])
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        if (cgroup is not null)
        {
            // The shell joins the cgroup, then becomes timeout, which starts the server: every byte it allocates is charged there.
            start.FileName = "/bin/sh";
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("echo $$ > \"$0/cgroup.procs\" && exec \"$@\"");
            start.ArgumentList.Add(cgroup);
        }

        if (File.Exists("/usr/bin/timeout"))
        {
            Add(start, "/usr/bin/timeout");
            start.ArgumentList.Add(((int)maxLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            start.ArgumentList.Add(server);
        }
        else
        {
            Add(start, server);
        }

        foreach (var arg in (string[])[
                     "--server:grpcAddress=127.0.0.1", $"--server:grpcPort={grpcPort}",
                     "--server:httpAddress=127.0.0.1", $"--server:httpPort={httpPort}",
                     "--Logging:LogLevel:Default=Warning"])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in serverArgs)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        process.OutputDataReceived += (_, e) => Forward(Console.Out, e.Data);
        process.ErrorDataReceived += (_, e) => Forward(Console.Error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var result = new ServerProcess(process,
            new Uri(FormattableString.Invariant($"http://127.0.0.1:{grpcPort}")),
            new Uri(FormattableString.Invariant($"http://127.0.0.1:{httpPort}")));
        await result.WaitReadyAsync(httpPort).ConfigureAwait(false);
        result.Pid = ServerProcessInfo.FindListener(grpcPort) ?? process.Id;
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private async Task WaitReadyAsync(int httpPort)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var ready = new Uri(FormattableString.Invariant($"http://127.0.0.1:{httpPort}/readyz"));
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}.");
            }

            try
            {
                using var response = await http.GetAsync(ready).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        throw new TimeoutException("The server did not become ready within 60 s.");
    }

    /// <summary>Sets the program, or appends it to the shell's arguments when a wrapper runs it.</summary>
    private static void Add(ProcessStartInfo start, string program)
    {
        if (start.FileName.Length == 0)
        {
            start.FileName = program;
        }
        else
        {
            start.ArgumentList.Add(program);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Forward(TextWriter writer, string? line)
    {
        if (line is not null)
        {
            writer.WriteLine($"[server] {line}");
        }
    }
}
