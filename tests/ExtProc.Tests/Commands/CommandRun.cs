using AiSidecar.ExtProc.Commands;

namespace AiSidecar.ExtProc.Tests.Commands;

/// <summary>A command's exit code and what it printed.</summary>
internal sealed record CommandRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs the server binary's command line (<c>ExtProc ARGS…</c>) in process.</summary>
    public static async Task<CommandRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ExtProcCommandLine.RunAsync(args, output, error);
        return new CommandRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Writes <paramref name="text"/> to a new temporary file and returns its path.</summary>
    public static string TempFile(string text, string extension = ".yaml")
    {
        var path = Path.Combine(Path.GetTempPath(), $"extproc-cmd-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, text);
        return path;
    }
}
