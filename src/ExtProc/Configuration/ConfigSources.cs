namespace AiSidecar.ExtProc.Configuration;

/// <summary>
/// Where the config comes from: one YAML file (or the embedded default), then <c>EXTPROC_</c> environment variables,
/// then <c>--section:key=value</c> command-line overrides. A reload rebuilds the same stack over the file's new content.
/// </summary>
/// <param name="Path">The config file's full path; null for the embedded default (which never changes).</param>
/// <param name="Overrides">Command-line overrides, as given (<c>--server:grpcPort=0</c>).</param>
internal sealed record ConfigSources(string? Path, IReadOnlyList<string> Overrides)
{
    /// <summary>Environment variables with this prefix override config keys (<c>EXTPROC_server__grpcPort=50052</c>).</summary>
    public const string EnvironmentPrefix = "EXTPROC_";

    /// <summary>The config file's name in messages.</summary>
    public string Label => Path ?? ConfigFile.EmbeddedLabel;
}
