using System.Reflection;
using System.Runtime.InteropServices;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>The server's version and runtime, for <c>extproc_build_info</c> and the meter.</summary>
internal static class BuildInfo
{
    /// <summary>The informational version of the server assembly (version and source revision when the build stamps one).</summary>
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The labels of <c>extproc_build_info</c>.</summary>
    public static KeyValuePair<string, object?>[] Tags { get; } =
        [new("version", Version), new("runtime", RuntimeInformation.FrameworkDescription)];
}
