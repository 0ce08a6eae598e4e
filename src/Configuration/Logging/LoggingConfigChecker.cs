using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace AiSidecar.Configuration;

/// <summary>
/// Checks the <c>Logging</c> section, which Microsoft.Extensions.Logging reads itself: log levels must be level names and
/// only <c>LogLevel</c> and the <c>Console</c> provider (its options and formatter options) are known keys.
/// </summary>
public static class LoggingConfigChecker
{
    /// <summary>The section Microsoft.Extensions.Logging reads.</summary>
    public const string SectionName = "Logging";

    private const string LogLevelKey = "LogLevel";
    private const string ConsoleKey = "Console";
    private const string FormatterOptionsKey = "FormatterOptions";

    private static readonly Type[] FormatterOptionTypes =
        [typeof(ConsoleFormatterOptions), typeof(SimpleConsoleFormatterOptions), typeof(JsonConsoleFormatterOptions)];

    /// <summary>Reports every problem in the <c>Logging</c> section of <paramref name="configuration"/>; a missing section is fine.</summary>
    public static void Check(IConfiguration configuration, ICollection<ConfigIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(issues);
        var section = configuration.GetSection(SectionName);
        if (!section.Exists())
        {
            return;
        }

        var walker = new ShapeWalker(issues, movedKeys: null);
        var path = ConfigPaths.Spelled(configuration, SectionName);
        if (!IsMapping(walker, section, path))
        {
            return;
        }

        foreach (var child in section.GetChildren())
        {
            var childPath = ConfigPaths.Child(path, child.Key);
            if (Is(child, LogLevelKey))
            {
                LogLevels(walker, child, childPath);
            }
            else if (Is(child, ConsoleKey))
            {
                Console(walker, child, childPath);
            }
            else
            {
                walker.Unknown(childPath, child.Key, [LogLevelKey, ConsoleKey]);
            }
        }
    }

    private static void Console(ShapeWalker walker, IConfigurationSection console, string path)
    {
        if (!IsMapping(walker, console, path))
        {
            return;
        }

        var options = ConfigTypeInfo.For(typeof(ConsoleLoggerOptions));
        foreach (var child in console.GetChildren())
        {
            var childPath = ConfigPaths.Child(path, child.Key);
            if (Is(child, LogLevelKey))
            {
                LogLevels(walker, child, childPath);
            }
            else if (Is(child, FormatterOptionsKey))
            {
                FormatterOptions(walker, child, childPath);
            }
            else if (options.Find(child.Key) is { } property)
            {
                walker.Value(child, property.Type, childPath);
            }
            else
            {
                walker.Unknown(childPath, child.Key, [LogLevelKey, FormatterOptionsKey, .. options.Properties.Select(p => p.Key)]);
            }
        }
    }

    /// <summary>The formatter options are bound to whichever formatter is chosen, so any formatter's property is a known key.</summary>
    private static void FormatterOptions(ShapeWalker walker, IConfigurationSection formatter, string path)
    {
        if (!IsMapping(walker, formatter, path))
        {
            return;
        }

        var properties = FormatterOptionTypes.SelectMany(t => ConfigTypeInfo.For(t).Properties)
            .DistinctBy(p => p.Key, StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var child in formatter.GetChildren())
        {
            var childPath = ConfigPaths.Child(path, child.Key);
            var property = properties.Find(p => string.Equals(p.Key, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                walker.Unknown(childPath, child.Key, properties.ConvertAll(p => p.Key));
            }
            else
            {
                walker.Value(child, property.Type, childPath);
            }
        }
    }

    private static void LogLevels(ShapeWalker walker, IConfigurationSection levels, string path)
    {
        if (!IsMapping(walker, levels, path))
        {
            return;
        }

        var names = EnumSpellings.For(typeof(LogLevel));
        foreach (var category in levels.GetChildren())
        {
            var categoryPath = ConfigPaths.Child(path, category.Key);
            if (category.GetChildren().Any())
            {
                // The logging library reads only direct values: a nested category would be ignored, not applied.
                walker.Add(categoryPath, $"expected a log level ({string.Join(", ", names.Names)}), found a mapping; write a dotted category as one key");
            }
            else if (!string.IsNullOrEmpty(category.Value) && !names.TryParse(category.Value, out _))
            {
                walker.Add(categoryPath, $"expected a log level: one of {string.Join(", ", names.Names)}; found '{category.Value}'{KeySuggestions.DidYouMean(category.Value, names.Names)}");
            }
        }
    }

    private static bool IsMapping(ShapeWalker walker, IConfigurationSection section, string path)
    {
        if (!section.GetChildren().Any())
        {
            if (!string.IsNullOrEmpty(section.Value))
            {
                walker.Add(path, $"expected a mapping, found the single value '{section.Value}'");
            }

            return false;
        }

        return true;
    }

    private static bool Is(IConfigurationSection section, string key) => string.Equals(section.Key, key, StringComparison.OrdinalIgnoreCase);
}
