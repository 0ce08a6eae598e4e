using System.CommandLine;

namespace AiSidecar.ExtProc.Commands;

/// <summary>
/// The server's command line: with no command it runs the server; <c>tokens</c>, <c>route</c>, <c>check</c> and
/// <c>validate</c> work on a config file without starting it. <c>--help</c> describes each; an unknown command or
/// option is an error (exit 2) and never starts a server. Config overrides (<c>--section:key=value</c>) may be given
/// to the server and to every command.
/// </summary>
internal static class ExtProcCommandLine
{
    /// <summary>Parses <paramref name="args"/> and runs what they name; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var (arguments, overrides) = ConfigOverrides.Split(args);
        var root = Create(overrides, output, error);
        var parse = root.Parse(arguments);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"{parse.CommandResult.Command.Name}: {problem.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync($"Run '{parse.CommandResult.Command.Name} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // The host handles SIGTERM itself (readiness drops, open streams drain); the parser must not cut that short.
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellationToken).ConfigureAwait(false);
    }

    private static RootCommand Create(string[] overrides, TextWriter output, TextWriter error)
    {
        var config = new Option<string?>("--config")
        {
            Description = "The YAML config file (default: the file EXTPROC_CONFIG names, else the embedded default). Any key can be overridden as --section:key=value or EXTPROC_section__key.",
            HelpName = "FILE",
            Recursive = true,
        };
        var root = new RootCommand("The ai-sidecar ext_proc server: with no command, serves Envoy's external processing API (gRPC) and metrics and probes (HTTP).")
        {
            config,
        };
        root.SetAction((parse, cancel) => ServerCommand.RunAsync(parse.GetValue(config), overrides, error, cancel));
        root.Subcommands.Add(TokensCommand.Create(config, overrides, output, error));
        root.Subcommands.Add(RouteCommand.Create(config, overrides, output, error));
        root.Subcommands.Add(CheckCommand.Create(config, overrides, output, error));
        root.Subcommands.Add(ValidateCommand.Create(config, overrides, output, error));
        return root;
    }
}
