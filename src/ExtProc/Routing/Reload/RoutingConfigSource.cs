namespace AiSidecar.ExtProc.Routing.Reload;

/// <summary>
/// Where the server's config came from: the YAML file (null for the embedded default, which never changes) and the
/// command-line overrides, which a reload applies again over the new file, as environment variables are.
/// </summary>
/// <param name="Path">The config file's full path, or null.</param>
/// <param name="Args">The server's command-line arguments.</param>
internal sealed record RoutingConfigSource(string? Path, IReadOnlyList<string> Args)
{
    public const string EnvironmentPrefix = "EXTPROC_";

    /// <summary>No file: nothing to reload.</summary>
    public static RoutingConfigSource None { get; } = new(null, []);

    /// <summary>The configuration as the server would build it from <paramref name="yaml"/>; throws on malformed YAML.</summary>
    public IConfiguration Build(byte[] yaml) => new ConfigurationBuilder()
        .AddYamlStream(new MemoryStream(yaml, writable: false))
        .AddEnvironmentVariables(EnvironmentPrefix)
        .AddCommandLine([.. Args])
        .Build();
}
