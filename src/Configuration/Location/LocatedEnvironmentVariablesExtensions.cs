using AiSidecar.Configuration;

namespace Microsoft.Extensions.Configuration;

/// <summary>Adds environment variables whose keys can be traced back to the variable that set them.</summary>
public static class LocatedEnvironmentVariablesExtensions
{
    /// <summary>
    /// Adds the environment variables starting with <paramref name="prefix"/> (stripped; <c>__</c> separates sections), as
    /// <c>AddEnvironmentVariables(prefix)</c> does; with <paramref name="sections"/>, only variables under those top-level
    /// sections are read, so the rest of the environment does not show up as unknown keys.
    /// </summary>
    public static IConfigurationBuilder AddLocatedEnvironmentVariables(this IConfigurationBuilder builder, string prefix = "", IReadOnlyCollection<string>? sections = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(prefix);
        return builder.Add(new EnvironmentSectionsSource(prefix, sections));
    }
}
