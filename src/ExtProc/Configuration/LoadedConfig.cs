namespace AiSidecar.ExtProc.Configuration;

/// <summary>A config that passed every check, with where it came from.</summary>
/// <param name="Sources">The file and overrides it was built from.</param>
/// <param name="Config">The validated sections.</param>
/// <param name="Root">The configuration itself (the host reads <c>Logging</c> from it).</param>
/// <param name="File">The config file's change detector, baselined on this content; null for the embedded default.</param>
internal sealed record LoadedConfig(ConfigSources Sources, ServerConfig Config, IConfigurationRoot Root, WatchedFile? File);
