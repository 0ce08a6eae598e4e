using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration;

/// <summary>Walks a configuration section beside a type and reports every key the binder would drop or fail on.</summary>
internal sealed class ShapeWalker(ICollection<ConfigIssue> issues, IReadOnlyDictionary<string, string>? movedKeys)
{
    private readonly Dictionary<string, string>? _moved = movedKeys is null
        ? null
        : new Dictionary<string, string>(movedKeys, StringComparer.OrdinalIgnoreCase);

    public ICollection<ConfigIssue> Issues { get; } = issues;

    /// <summary>Checks the children of <paramref name="section"/> against the properties of <paramref name="type"/>.</summary>
    public void Object(IConfigurationSection section, Type type, string path)
    {
        var info = ConfigTypeInfo.For(type);
        foreach (var child in section.GetChildren())
        {
            var childPath = ConfigPaths.Child(path, child.Key);
            if (IsMoved(childPath))
            {
                continue;
            }

            var property = info.Find(child.Key);
            if (property is null)
            {
                Unknown(childPath, child.Key, info.Properties.Select(p => ConfigPaths.Camel(p.Key)).ToList());
            }
            else if (property.Optional && child.Value is null && !child.GetChildren().Any())
            {
                var keys = string.Join(", ", ConfigTypeInfo.For(property.Type).Properties.Select(p => ConfigPaths.Camel(p.Key)));
                Add(childPath, $"is empty, which would leave it off: write at least one of its keys ({keys}) to turn it on, or remove it");
            }
            else if (!property.FreeForm)
            {
                Value(child, property.Type, childPath);
            }
        }
    }

    /// <summary>Checks one value (scalar, list, dictionary or object) against <paramref name="type"/>.</summary>
    public void Value(IConfigurationSection section, Type type, string path)
    {
        var info = ConfigTypeInfo.For(type);
        var children = section.GetChildren().ToList();
        var value = section.Value;
        switch (info.Kind)
        {
            case ConfigValueKind.Scalar when children.Count > 0:
                Add(path, $"expected a single value ({ScalarValues.Expected(type)}), found {Shape(children)}");
                break;
            case ConfigValueKind.Scalar when value is not null:
                if (ScalarValues.Problem(type, value) is { } problem)
                {
                    Add(path, problem);
                }

                break;
            case ConfigValueKind.List when children.Count == 0:
                if (!string.IsNullOrEmpty(value))
                {
                    Add(path, $"expected a list, found the single value '{value}'");
                }

                break;
            case ConfigValueKind.List:
                List(children, info.ElementType!, path);
                break;
            case ConfigValueKind.Dictionary or ConfigValueKind.Object when children.Count == 0:
                if (!string.IsNullOrEmpty(value))
                {
                    Add(path, $"expected a mapping, found the single value '{value}'");
                }

                break;
            case ConfigValueKind.Dictionary:
                Dictionary(children, info, path);
                break;
            case ConfigValueKind.Object when children.TrueForAll(c => ConfigPaths.IsIndex(c.Key)):
                Add(path, "expected a mapping, found a list");
                break;
            case ConfigValueKind.Object:
                Object(section, type, path);
                break;
            default:
                break;
        }
    }

    /// <summary>Reports an unknown key, with the closest allowed key and the list of allowed keys.</summary>
    public void Unknown(string path, string key, IReadOnlyCollection<string> allowed)
    {
        var message = allowed.Count == 0
            ? "unknown key; this section takes no keys"
            : $"unknown key{KeySuggestions.DidYouMean(key, allowed)}; allowed: {string.Join(", ", allowed)}";
        Add(path, message);
    }

    /// <summary>True (and reported) when the key is in the moved/removed table.</summary>
    public bool IsMoved(string path)
    {
        if (_moved is null)
        {
            return false;
        }

        if (_moved.TryGetValue(path, out var message) || _moved.TryGetValue(ConfigPaths.Pattern(path), out message))
        {
            Add(path, message);
            return true;
        }

        return false;
    }

    public void Add(string path, string message) => Issues.Add(new ConfigIssue(path, message));

    private static string Shape(List<IConfigurationSection> children) =>
        children.TrueForAll(c => ConfigPaths.IsIndex(c.Key)) ? "a list" : "a mapping";

    private void List(List<IConfigurationSection> children, Type element, string path)
    {
        if (children.Find(c => !ConfigPaths.IsIndex(c.Key)) is { } named)
        {
            Add(path, $"expected a list, found a mapping (key '{named.Key}')");
            return;
        }

        var expected = 0;
        foreach (var child in children)
        {
            var index = int.Parse(child.Key, System.Globalization.CultureInfo.InvariantCulture);
            var childPath = ConfigPaths.Index(path, child.Key);
            if (index != expected)
            {
                // An override (environment variable, command line) that adds an element past the end shifts every later index.
                Add(childPath, $"list index {index} leaves a gap: the list has {expected} element(s), so the next index is {expected}");
            }

            expected = index + 1;
            Value(child, element, childPath);
        }
    }

    private void Dictionary(List<IConfigurationSection> children, ConfigTypeInfo info, string path)
    {
        if (info.KeyType == typeof(string) && children.TrueForAll(c => ConfigPaths.IsIndex(c.Key)))
        {
            Add(path, "expected a mapping of names to values, found a list");
            return;
        }

        foreach (var child in children)
        {
            var childPath = ConfigPaths.Child(path, child.Key);
            if (IsMoved(childPath))
            {
                continue;
            }

            if (info.KeyType != typeof(string) && ScalarValues.Problem(info.KeyType!, child.Key) is { } problem)
            {
                Add(childPath, $"key: {problem}");
                continue;
            }

            Value(child, info.ElementType!, childPath);
        }
    }
}
