namespace AiSidecar.ExtProc.Hosting;

/// <summary>Finds the YAML config: <c>--config FILE</c>, else <c>EXTPROC_CONFIG</c>, else the embedded default.</summary>
internal static class ConfigFile
{
    public const string EnvironmentVariable = "EXTPROC_CONFIG";
    public const string EmbeddedDefault = "AiSidecar.ExtProc.defaults.yaml";

    /// <summary>The config file path, or null for the embedded default.</summary>
    public static string? Locate(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Count)
            {
                return args[i + 1];
            }

            if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                return args[i]["--config=".Length..];
            }
        }

        return Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path ? path : null;
    }

    /// <summary>Opens the embedded default config.</summary>
    public static Stream OpenDefault() =>
        typeof(ConfigFile).Assembly.GetManifestResourceStream(EmbeddedDefault)
        ?? throw new InvalidOperationException("The embedded default config is missing from the build.");
}
