using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration;

/// <summary>YAML configuration held in memory (an embedded default, the bytes of a reloaded file) with a name for locations.</summary>
internal sealed class PositionedYamlContentSource(ReadOnlyMemory<byte> content, string sourceName) : IConfigurationSource
{
    public ReadOnlyMemory<byte> Content { get; } = content;

    public string SourceName { get; } = sourceName;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new PositionedYamlContentProvider(this);
}
