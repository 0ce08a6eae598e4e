using System.Diagnostics;

namespace AiSidecar.ExtProc.Tests.Observability;

/// <summary>
/// Prometheus and promtool, as the build found them (<c>Observability/Prometheus.targets</c>: on PATH, else Debian's
/// package unpacked under <c>obj/prometheus</c>), and a way to run a tool to its end.
/// </summary>
internal static class PrometheusTools
{
    private static readonly Lazy<string[]> Paths = new(() =>
    {
        var file = Path.Combine(AppContext.BaseDirectory, "prometheus-tools.txt");
        var lines = File.Exists(file) ? File.ReadAllLines(file) : [];
        return lines.Length == 2 && lines.All(File.Exists)
            ? lines
            : throw new InvalidOperationException($"{file} does not name prometheus and promtool: build the test project (tools/prometheus/find-prometheus.sh writes it).");
    });

    public static string Prometheus => Paths.Value[0];

    public static string Promtool => Paths.Value[1];

    /// <summary>Runs promtool with <paramref name="args"/> in <paramref name="directory"/>; its exit code and what it printed.</summary>
    public static Task<ToolRun> PromtoolAsync(string directory, params string[] args) => RunAsync(Promtool, directory, args);

    private static async Task<ToolRun> RunAsync(string tool, string directory, string[] args)
    {
        var start = new ProcessStartInfo(tool)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ToolRun(process.ExitCode, await output + await error);
    }
}

/// <summary>A tool's exit code and its standard output followed by its standard error.</summary>
internal sealed record ToolRun(int ExitCode, string Output)
{
    public override string ToString() => $"exit {ExitCode}:\n{Output}";
}
