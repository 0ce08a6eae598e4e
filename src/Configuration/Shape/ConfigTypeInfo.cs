using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration;

/// <summary>What the configuration binder makes of a type: its kind, element or value type, and bindable properties.</summary>
internal sealed class ConfigTypeInfo
{
    private static readonly ConcurrentDictionary<Type, ConfigTypeInfo> Cache = new();

    private static readonly HashSet<Type> ListDefinitions =
    [
        typeof(List<>), typeof(IList<>), typeof(ICollection<>), typeof(IEnumerable<>), typeof(IReadOnlyList<>),
        typeof(IReadOnlyCollection<>), typeof(HashSet<>), typeof(ISet<>), typeof(IReadOnlySet<>),
        typeof(System.Collections.ObjectModel.Collection<>),
    ];

    private static readonly HashSet<Type> DictionaryDefinitions =
    [
        typeof(Dictionary<,>), typeof(IDictionary<,>), typeof(IReadOnlyDictionary<,>), typeof(SortedDictionary<,>),
        typeof(ConcurrentDictionary<,>),
    ];

    private ConfigTypeInfo(Type type)
    {
        Type = type;
        (Kind, ElementType, KeyType) = Classify(type);

        // A nullable struct binds like the struct itself.
        Properties = Kind == ConfigValueKind.Object ? BindableProperties(Nullable.GetUnderlyingType(type) ?? type) : [];
    }

    public Type Type { get; }

    public ConfigValueKind Kind { get; }

    /// <summary>The element type of a list, the value type of a dictionary.</summary>
    public Type? ElementType { get; }

    /// <summary>The key type of a dictionary.</summary>
    public Type? KeyType { get; }

    public IReadOnlyList<ConfigProperty> Properties { get; }

    public static ConfigTypeInfo For(Type type) => Cache.GetOrAdd(type, static t => new ConfigTypeInfo(t));

    /// <summary>The property bound from <paramref name="key"/> (case-insensitive, as the binder matches).</summary>
    public ConfigProperty? Find(string key) =>
        Properties.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));

    private static (ConfigValueKind Kind, Type? Element, Type? Key) Classify(Type type)
    {
        if (type == typeof(object))
        {
            return (ConfigValueKind.Unsupported, null, null);
        }

        if (type == typeof(byte[]) || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string)))
        {
            return (ConfigValueKind.Scalar, null, null);
        }

        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return Classify(inner);
        }

        if (type.IsArray)
        {
            return type.GetArrayRank() == 1 ? (ConfigValueKind.List, type.GetElementType(), null) : (ConfigValueKind.Unsupported, null, null);
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var arguments = type.GetGenericArguments();
            if (DictionaryDefinitions.Contains(definition))
            {
                return (ConfigValueKind.Dictionary, arguments[1], arguments[0]);
            }

            if (ListDefinitions.Contains(definition))
            {
                return (ConfigValueKind.List, arguments[0], null);
            }
        }

        foreach (var candidate in type.GetInterfaces().Where(i => i.IsGenericType))
        {
            if (candidate.GetGenericTypeDefinition() == typeof(IDictionary<,>))
            {
                return (ConfigValueKind.Dictionary, candidate.GetGenericArguments()[1], candidate.GetGenericArguments()[0]);
            }
        }

        foreach (var candidate in type.GetInterfaces().Where(i => i.IsGenericType))
        {
            if (candidate.GetGenericTypeDefinition() == typeof(ICollection<>))
            {
                return (ConfigValueKind.List, candidate.GetGenericArguments()[0], null);
            }
        }

        return type.IsInterface || type.IsAbstract || type.IsPointer || type.IsByRef || type.ContainsGenericParameters
            ? (ConfigValueKind.Unsupported, null, null)
            : (ConfigValueKind.Object, null, null);
    }

    private static List<ConfigProperty> BindableProperties(Type type)
    {
        var result = new List<ConfigProperty>();
        var defaults = type.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes) is { } constructor
            ? constructor.Invoke(null)
            : null;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            // The binder sets public setters and binds into the existing value of a get-only object or collection.
            var settable = property.SetMethod is { IsPublic: true };
            if (!settable && Classify(property.PropertyType).Kind is ConfigValueKind.Scalar)
            {
                continue;
            }

            var key = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
            if (result.Exists(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var optional = defaults is not null && Classify(property.PropertyType).Kind == ConfigValueKind.Object && property.GetValue(defaults) is null;
            result.Add(new ConfigProperty(key, property, property.IsDefined(typeof(ConfigFreeFormAttribute), inherit: true), optional));
        }

        return result;
    }
}
