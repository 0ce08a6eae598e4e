namespace AiSidecar.Configuration;

/// <summary>Marks a property whose contents the shape checker does not look into (for example a dictionary of arbitrary settings).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ConfigFreeFormAttribute : Attribute;
