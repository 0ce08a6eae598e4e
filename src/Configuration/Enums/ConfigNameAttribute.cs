namespace AiSidecar.Configuration;

/// <summary>Gives an enum member the spelling used in config files (<c>BUFFERED_PARTIAL</c>, <c>o200k_base</c>); read by <see cref="ConfigEnumConverter{TEnum}"/>.</summary>
/// <param name="name">The spelling in config files.</param>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class ConfigNameAttribute(string name) : Attribute
{
    /// <summary>The spelling in config files.</summary>
    public string Name { get; } = name;
}
