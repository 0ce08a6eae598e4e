using System.ComponentModel;
using System.Globalization;
using System.Reflection;

namespace AiSidecar.ExtProc.Routing.Registry;

/// <summary>
/// Checks the raw <c>routing.registry</c> keys against the options classes before binding: the configuration
/// binder silently drops a list element it cannot bind (a misspelt key or <c>weight: lots</c> would make a version
/// vanish), so unknown keys and unconvertible values are reported here, each with its key path.
/// </summary>
internal static class RegistryShape
{
    public static void Check(IConfigurationSection section, Type type, string path, List<string> errors)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        foreach (var child in section.GetChildren())
        {
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            var at = $"{path}.{child.Key}";
            if (property is null)
            {
                errors.Add($"{at}: unknown key; expected one of {string.Join(", ", properties.Select(p => JsonName(p.Name)))}.");
                continue;
            }

            CheckValue(child, property.PropertyType, at, errors);
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, string at, List<string> errors)
    {
        var children = section.GetChildren().ToList();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var element = type.GetGenericArguments()[0];
            if (children.Count == 0 && !string.IsNullOrEmpty(section.Value))
            {
                errors.Add($"{at}: expected a list.");
            }

            foreach (var item in children)
            {
                if (!int.TryParse(item.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    errors.Add($"{at}: expected a list, found the key '{item.Key}'.");
                    return;
                }

                CheckValue(item, element, $"{at}[{item.Key}]", errors);
            }
        }
        else if (IsScalar(type))
        {
            if (children.Count > 0)
            {
                errors.Add($"{at}: expected a single value, found a mapping or list.");
            }
            else if (!string.IsNullOrEmpty(section.Value) && !Converts(type, section.Value))
            {
                errors.Add($"{at}: '{section.Value}' is not a valid {Describe(type)}.");
            }
        }
        else if (children.Count == 0 && !string.IsNullOrEmpty(section.Value))
        {
            errors.Add($"{at}: expected a mapping, found '{section.Value}'.");
        }
        else
        {
            Check(section, type, at, errors);
        }
    }

    private static bool IsScalar(Type type)
    {
        var inner = Nullable.GetUnderlyingType(type) ?? type;
        return inner.IsPrimitive || inner == typeof(string) || inner == typeof(decimal);
    }

    private static bool Converts(Type type, string value)
    {
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    private static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(bool) => "boolean (true or false)",
        var t when t == typeof(int) => "whole number",
        var t when t == typeof(decimal) => "number",
        var t => t.Name,
    };

    private static string JsonName(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
