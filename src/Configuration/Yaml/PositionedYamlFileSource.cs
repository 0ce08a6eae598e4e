using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration;

/// <summary>A YAML configuration file whose provider remembers the line and column of every key.</summary>
internal sealed class PositionedYamlFileSource : FileConfigurationSource
{
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new PositionedYamlFileProvider(this);
    }
}
