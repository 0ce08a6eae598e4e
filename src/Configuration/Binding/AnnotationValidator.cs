using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration;

/// <summary>
/// Runs data annotations and <see cref="IValidatableObject"/> on a bound options object and on every nested object,
/// list element and dictionary value, reporting each failure on its key path.
/// </summary>
internal sealed class AnnotationValidator(ICollection<ConfigIssue> issues)
{
    private readonly HashSet<object> _visited = new(ReferenceEqualityComparer.Instance);
    private readonly NullabilityInfoContext _nullability = new();

    /// <summary>Validates <paramref name="instance"/>; <paramref name="section"/> (when present) gives the keys' spelling.</summary>
    public void Object(object instance, IConfigurationSection? section, string path)
    {
        if (!_visited.Add(instance))
        {
            return;
        }

        var type = instance.GetType();
        foreach (var attribute in type.GetCustomAttributes<ValidationAttribute>(inherit: true))
        {
            var result = attribute.GetValidationResult(instance, new ValidationContext(instance));
            if (result is not null)
            {
                issues.Add(new ConfigIssue(path, ValidationMessages.For(attribute, instance, result)));
            }
        }

        var info = ConfigTypeInfo.For(type);
        foreach (var property in info.Properties)
        {
            var child = Child(section, property.Key);
            var keyPath = ConfigPaths.Child(path, child?.Key ?? ConfigPaths.Camel(property.Key));
            var value = property.Property.GetValue(instance);
            foreach (var attribute in property.Property.GetCustomAttributes<ValidationAttribute>(inherit: true))
            {
                var context = new ValidationContext(instance) { MemberName = property.Property.Name, DisplayName = keyPath };
                var result = attribute.GetValidationResult(value, context);
                if (result is not null)
                {
                    issues.Add(new ConfigIssue(keyPath, ValidationMessages.For(attribute, value, result)));
                }
            }

            if (value is not null && !property.FreeForm)
            {
                Nested(value, child, keyPath);
            }
            else if (value is null && child is not null && IsNonNullable(property.Property))
            {
                // "key:" with nothing after it binds null into a property the code never expects to be null.
                issues.Add(new ConfigIssue(keyPath, "is required (the key is written with no value)"));
            }
        }

        if (instance is IValidatableObject validatable)
        {
            foreach (var result in validatable.Validate(new ValidationContext(instance)))
            {
                var members = result.MemberNames.ToList();
                var message = result.ErrorMessage ?? "is not valid";
                if (members.Count == 0)
                {
                    issues.Add(new ConfigIssue(path, message));
                }

                foreach (var member in members)
                {
                    var key = info.Properties.FirstOrDefault(p => p.Property.Name == member)?.Key ?? member;
                    issues.Add(new ConfigIssue(ConfigPaths.Child(path, Child(section, key)?.Key ?? ConfigPaths.Camel(key)), message));
                }
            }
        }
    }

    private void Nested(object value, IConfigurationSection? section, string path)
    {
        var info = ConfigTypeInfo.For(value.GetType());
        switch (info.Kind)
        {
            case ConfigValueKind.Object:
                Object(value, section, path);
                break;
            case ConfigValueKind.Dictionary when value is IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                    var child = Child(section, key);
                    if (entry.Value is not null)
                    {
                        Nested(entry.Value, child, ConfigPaths.Child(path, child?.Key ?? key));
                    }
                }

                break;
            case ConfigValueKind.List when value is IEnumerable items:
                var index = 0;
                foreach (var item in items)
                {
                    var key = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (item is not null)
                    {
                        Nested(item, Child(section, key), ConfigPaths.Index(path, key));
                    }

                    index++;
                }

                break;
            default:
                break;
        }
    }

    /// <summary>A reference-typed property declared non-nullable, without <see cref="RequiredAttribute"/> (which reports null itself).</summary>
    private bool IsNonNullable(PropertyInfo property) =>
        !property.PropertyType.IsValueType
        && property.GetCustomAttribute<RequiredAttribute>() is null
        && _nullability.Create(property).WriteState == NullabilityState.NotNull;

    private static IConfigurationSection? Child(IConfigurationSection? section, string key) =>
        section?.GetChildren().FirstOrDefault(c => string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase));
}
