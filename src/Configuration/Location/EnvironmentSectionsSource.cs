using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration;

/// <summary>Environment variables with a prefix, limited to some top-level sections, remembering each key's variable name.</summary>
internal sealed class EnvironmentSectionsSource(string prefix, IReadOnlyCollection<string>? sections) : IConfigurationSource
{
    public string Prefix { get; } = prefix;

    public IReadOnlyCollection<string>? Sections { get; } = sections;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new EnvironmentSectionsProvider(this);
}
