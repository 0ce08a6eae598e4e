using AiSidecar.Configuration;

namespace Microsoft.Extensions.Configuration;

/// <summary>Adds YAML configuration whose keys keep their file, line and column (see <see cref="IConfigurationPositions"/>).</summary>
public static class PositionedYamlConfigurationExtensions
{
    /// <summary>Adds YAML held in memory; <paramref name="sourceName"/> stands for the file in locations and errors.</summary>
    public static IConfigurationBuilder AddPositionedYaml(this IConfigurationBuilder builder, ReadOnlyMemory<byte> content, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        return builder.Add(new PositionedYamlContentSource(content, sourceName));
    }
}
