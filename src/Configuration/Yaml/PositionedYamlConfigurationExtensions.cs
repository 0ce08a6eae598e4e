using AiSidecar.Configuration;

namespace Microsoft.Extensions.Configuration;

/// <summary>Adds YAML configuration whose keys keep their file, line and column (see <see cref="IConfigurationPositions"/>).</summary>
public static class PositionedYamlConfigurationExtensions
{
    /// <summary>
    /// Adds a YAML file (a relative path is resolved against the builder's base path, as <c>AddJsonFile</c> does); a load
    /// error is a <see cref="ConfigurationFileException"/> naming the file, line and column.
    /// </summary>
    public static IConfigurationBuilder AddPositionedYamlFile(this IConfigurationBuilder builder, string path, bool optional = false, bool reloadOnChange = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var source = new PositionedYamlFileSource { Path = path, Optional = optional, ReloadOnChange = reloadOnChange };

        // As AddJsonFile does: a rooted path gets a file provider on its own directory, not the builder's base path.
        source.ResolveFileProvider();
        return builder.Add(source);
    }

    /// <summary>Adds YAML held in memory; <paramref name="sourceName"/> stands for the file in locations and errors.</summary>
    public static IConfigurationBuilder AddPositionedYaml(this IConfigurationBuilder builder, ReadOnlyMemory<byte> content, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        return builder.Add(new PositionedYamlContentSource(content, sourceName));
    }

    /// <summary>Reads <paramref name="stream"/> to its end now and adds it as in-memory YAML named <paramref name="sourceName"/>.</summary>
    public static IConfigurationBuilder AddPositionedYamlStream(this IConfigurationBuilder builder, Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return builder.AddPositionedYaml(copy.ToArray(), sourceName);
    }
}
