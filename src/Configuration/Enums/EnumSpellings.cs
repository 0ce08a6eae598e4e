using System.Collections.Concurrent;
using System.Reflection;

namespace AiSidecar.Configuration;

/// <summary>The config spellings of an enum's members: <see cref="ConfigNameAttribute"/> where present, else the member name.</summary>
internal sealed class EnumSpellings
{
    private static readonly ConcurrentDictionary<Type, EnumSpellings> Cache = new();

    private readonly Dictionary<string, object> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<object, string> _spelling = [];

    private EnumSpellings(Type type)
    {
        var names = new List<string>();
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var value = field.GetValue(null)!;
            var spelling = field.GetCustomAttribute<ConfigNameAttribute>()?.Name ?? field.Name;
            if (_spelling.TryAdd(value, spelling))
            {
                names.Add(spelling);
            }

            _byName.TryAdd(spelling, value);
            _byName.TryAdd(field.Name, value);
        }

        Names = names;
        IsFlags = type.IsDefined(typeof(FlagsAttribute), inherit: false);
    }

    /// <summary>The config spellings in declaration order (one per value).</summary>
    public IReadOnlyList<string> Names { get; }

    public bool IsFlags { get; }

    public static EnumSpellings For(Type enumType) => Cache.GetOrAdd(enumType, static t => new EnumSpellings(t));

    /// <summary>The member whose config spelling or name is <paramref name="text"/> (case-insensitive); numbers are not accepted.</summary>
    public bool TryParse(string text, out object? value) => _byName.TryGetValue(text.Trim(), out value);

    /// <summary>Whether <paramref name="text"/> names members only (for a <c>[Flags]</c> enum, comma-separated ones).</summary>
    public bool IsAllowed(string text) =>
        IsFlags
            ? text.Split(',', StringSplitOptions.TrimEntries).All(part => _byName.ContainsKey(part))
            : _byName.ContainsKey(text.Trim());

    /// <summary>The config spelling of a value, or null for a value that is no member.</summary>
    public string? SpellingOf(object value) => _spelling.GetValueOrDefault(value);
}
