using System.CommandLine;
using AiSidecar.ExtProc.Configuration;

namespace AiSidecar.ExtProc.Commands;

/// <summary>
/// <c>ExtProc validate [--config FILE]</c>: runs exactly the checks the server runs at start and on every reload, and
/// prints each problem as <c>FILE:LINE:COLUMN: key.path: what is wrong</c>; exits 1 on any problem.
/// </summary>
internal static class ValidateCommand
{
    public const string Name = "validate";

    public static Command Create(Option<string?> config, string[] overrides, TextWriter output, TextWriter error)
    {
        var command = new Command(Name, "Checks a config file as the server does at start and on reload; prints each problem with its file, line, column and key path.");
        command.SetAction((parse, _) => RunAsync(parse.GetValue(config), overrides, output));
        return command;
    }

    private static async Task<int> RunAsync(string? configOption, string[] overrides, TextWriter output)
    {
        var sources = new ConfigSources(ConfigFile.Locate(configOption), overrides);
        var valid = ConfigLoader.TryLoad(sources, out _, out var errors);
        foreach (var line in errors)
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }

        await output.WriteLineAsync(valid ? $"{sources.Label}: valid" : $"{sources.Label}: {errors.Count} error(s)").ConfigureAwait(false);
        return valid ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
