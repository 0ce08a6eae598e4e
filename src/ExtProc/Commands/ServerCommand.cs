using AiSidecar.ExtProc.Hosting;

namespace AiSidecar.ExtProc.Commands;

/// <summary>Runs the server: the config is checked first, and an invalid one stops the start with every problem printed (exit 78).</summary>
internal static class ServerCommand
{
    public static async Task<int> RunAsync(string? configOption, IReadOnlyList<string> overrides, TextWriter error, CancellationToken cancellationToken)
    {
        if (await CommandServices.LoadConfigAsync("ExtProc", configOption, overrides, error).ConfigureAwait(false) is not { } loaded)
        {
            return ExitCodes.InvalidConfig;
        }

        await using var app = ExtProcApplication.Build(loaded);
        try
        {
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (IOException ex)
        {
            // Kestrel cannot bind a listener (a port in use, an address not on this host).
            await error.WriteLineAsync($"ExtProc: cannot start: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }
}
