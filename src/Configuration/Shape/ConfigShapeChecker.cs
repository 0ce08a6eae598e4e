using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration;

/// <summary>
/// Checks configuration keys and values against an options type before binding, because the binder silently drops
/// unknown keys, list elements it cannot convert and values of the wrong shape.
/// </summary>
public static class ConfigShapeChecker
{
    /// <summary>
    /// Reports every key under <paramref name="section"/> that is unknown, moved, of the wrong shape or not convertible
    /// to <paramref name="type"/>'s property types; <paramref name="movedKeys"/> maps dotted paths (<c>[*]</c> for any index) to messages.
    /// </summary>
    public static void Check(IConfigurationSection section, Type type, ICollection<ConfigIssue> issues, IReadOnlyDictionary<string, string>? movedKeys = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        Check(section, type, ConfigPaths.Dotted(section.Path), issues, movedKeys);
    }

    /// <summary>Reports every top-level key that is not one of <paramref name="allowedSections"/> (case-insensitive).</summary>
    public static void CheckSections(IConfiguration configuration, IReadOnlyCollection<string> allowedSections, ICollection<ConfigIssue> issues, IReadOnlyDictionary<string, string>? movedKeys = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(allowedSections);
        var walker = new ShapeWalker(issues, movedKeys);
        foreach (var child in configuration.GetChildren())
        {
            if (!walker.IsMoved(child.Key) && !allowedSections.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                walker.Unknown(child.Key, child.Key, allowedSections);
            }
        }
    }

    internal static void Check(IConfigurationSection section, Type type, string path, ICollection<ConfigIssue> issues, IReadOnlyDictionary<string, string>? movedKeys)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(issues);
        new ShapeWalker(issues, movedKeys).Value(section, type, path);
    }
}
