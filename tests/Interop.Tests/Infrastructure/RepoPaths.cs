namespace AiSidecar.Interop.Tests.Infrastructure;

/// <summary>Locations of the repository, the Node tool and the descriptor sets the build wrote.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string EnvoyApiToolDir => Path.Combine(Root, "tools", "envoy-api");

    /// <summary>Envoy's ext_proc service closure, as shipped in @grpc/grpc-js-xds.</summary>
    public static string ExtProcDescriptorSet => Path.Combine(AppContext.BaseDirectory, "envoy-api", "envoy-ext-proc.pb");

    /// <summary>Envoy's bootstrap and extension types, for config validation.</summary>
    public static string ConfigDescriptorSet => Path.Combine(AppContext.BaseDirectory, "envoy-api", "envoy-config.pb");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "tools", "envoy-api", "package.json")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No tools/envoy-api above {AppContext.BaseDirectory}.");
    }
}
