using System.Reflection;

namespace AiSidecar.Configuration;

/// <summary>One bindable property: its configuration key and whether its contents are free-form.</summary>
internal sealed record ConfigProperty(string Key, PropertyInfo Property, bool FreeForm)
{
    public Type Type => Property.PropertyType;
}
