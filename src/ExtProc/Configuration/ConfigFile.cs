namespace AiSidecar.ExtProc.Configuration;

/// <summary>Finds the YAML config: <c>--config FILE</c>, else <c>EXTPROC_CONFIG</c>, else the embedded default.</summary>
internal static class ConfigFile
{
    public const string EnvironmentVariable = "EXTPROC_CONFIG";
    public const string EmbeddedDefault = "AiSidecar.ExtProc.defaults.yaml";

    /// <summary>How messages name the embedded default.</summary>
    public const string EmbeddedLabel = "(embedded default)";

    /// <summary>The config file's full path: <paramref name="option"/>, else <c>EXTPROC_CONFIG</c>; null for the embedded default.</summary>
    public static string? Locate(string? option) =>
        (option ?? (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path ? path : null)) is { } file
            ? System.IO.Path.GetFullPath(file)
            : null;

    /// <summary>The embedded default config's bytes.</summary>
    public static byte[] ReadDefault()
    {
        using var stream = typeof(ConfigFile).Assembly.GetManifestResourceStream(EmbeddedDefault)
            ?? throw new InvalidOperationException("The embedded default config is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
