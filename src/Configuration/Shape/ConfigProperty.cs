using System.Reflection;

namespace AiSidecar.Configuration;

/// <summary>One bindable property: its configuration key, whether its contents are free-form, and whether it is an optional section.</summary>
/// <param name="Key">The configuration key it binds from.</param>
/// <param name="Property">The property.</param>
/// <param name="FreeForm">True when its contents are not checked against a type.</param>
/// <param name="Optional">
/// An object whose default is null: writing it turns something on (a pool's <c>engine</c>, a model's
/// <c>coalesce</c>). Written empty it binds to nothing, so the shape check refuses that rather than leave it off silently.
/// </param>
internal sealed record ConfigProperty(string Key, PropertyInfo Property, bool FreeForm, bool Optional = false)
{
    public Type Type => Property.PropertyType;
}
