using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace AiSidecar.Configuration;

/// <summary>
/// Finds which configuration source supplies an issue's key (the last provider wins, as in configuration) and formats
/// issues as <c>LOCATION: key.path: message</c>, one line each.
/// </summary>
public static partial class ConfigIssueLocator
{
    /// <summary>
    /// Where the key at <paramref name="path"/> (or its nearest ancestor present) comes from: <c>FILE:LINE:COL</c>,
    /// <c>environment variable NAME</c>, <c>command line --key</c>, a file name; null when no source is known.
    /// </summary>
    public static string? Locate(IConfigurationRoot root, string path) => new Session(root).Locate(path)?.Text;

    /// <summary>One line per issue (<c>LOCATION: key.path: message</c>, or <c>key.path: message</c> when unknown), file issues first in document order.</summary>
    public static IReadOnlyList<string> Format(IConfigurationRoot root, IEnumerable<ConfigIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        var session = new Session(root);
        return issues
            .Select((issue, order) => (Issue: issue, Location: session.Locate(issue.Path), Order: order))
            .OrderBy(x => x.Location?.Provider ?? int.MaxValue)
            .ThenBy(x => x.Location?.Line ?? 0)
            .ThenBy(x => x.Location?.Column ?? 0)
            .ThenBy(x => x.Order)
            .Select(x => IssueText.OneLine(x.Location is { } location ? $"{location.Text}: {x.Issue}" : x.Issue.ToString()))
            .ToList();
    }

    [GeneratedRegex("Prefix: '([^']*)'")]
    private static partial Regex EnvironmentPrefix();

    private sealed record Location(string Text, int Provider, int Line = 0, int Column = 0);

    private sealed class Session
    {
        private readonly IConfigurationRoot _root;
        private readonly List<IConfigurationProvider> _providers;
        private readonly Dictionary<IConfigurationProvider, Dictionary<string, (int Line, int Column)>> _json = [];

        public Session(IConfigurationRoot root)
        {
            ArgumentNullException.ThrowIfNull(root);
            _root = root;
            _providers = Flatten(root.Providers).ToList();
        }

        public Location? Locate(string path)
        {
            for (var key = ResolveKey(path); key is not null; key = ConfigurationPath.GetParentPath(key))
            {
                for (var i = _providers.Count - 1; i >= 0; i--)
                {
                    if (Supplies(_providers[i], key))
                    {
                        return Describe(_providers[i], i, key);
                    }
                }
            }

            return null;
        }

        private static IEnumerable<IConfigurationProvider> Flatten(IEnumerable<IConfigurationProvider> providers)
        {
            foreach (var provider in providers)
            {
                if (provider is ChainedConfigurationProvider { Configuration: IConfigurationRoot chained })
                {
                    foreach (var inner in Flatten(chained.Providers))
                    {
                        yield return inner;
                    }
                }
                else
                {
                    yield return provider;
                }
            }
        }

        private static bool Supplies(IConfigurationProvider provider, string key) =>
            (provider is IConfigurationPositions positions && positions.TryGetPosition(key, out _, out _))
            || provider.TryGet(key, out _)
            || provider.GetChildKeys([], key).Any();

        /// <summary>The colon key of a dotted path; a run of dotted names that is one key in the configuration (a log category) stays whole.</summary>
        private string? ResolveKey(string path)
        {
            var segments = Segments().Matches(path).Select(m => m.Groups["index"].Success ? (Text: m.Groups["index"].Value, Index: true) : (Text: m.Groups["name"].Value, Index: false)).ToList();
            string? key = null;
            for (var i = 0; i < segments.Count;)
            {
                if (segments[i].Index)
                {
                    key = key is null ? segments[i].Text : ConfigurationPath.Combine(key, segments[i].Text);
                    i++;
                    continue;
                }

                var end = i;
                while (end < segments.Count && !segments[end].Index)
                {
                    end++;
                }

                var taken = 1;
                for (var length = end - i; length > 1; length--)
                {
                    var candidate = string.Join('.', segments.Skip(i).Take(length).Select(s => s.Text));
                    if (_root.GetSection(key is null ? candidate : ConfigurationPath.Combine(key, candidate)).Exists())
                    {
                        taken = length;
                        break;
                    }
                }

                var name = string.Join('.', segments.Skip(i).Take(taken).Select(s => s.Text));
                key = key is null ? name : ConfigurationPath.Combine(key, name);
                i += taken;
            }

            return key;
        }

        private Location? Describe(IConfigurationProvider provider, int index, string key)
        {
            switch (provider)
            {
                case IConfigurationPositions positions:
                    return positions.TryGetPosition(key, out var line, out var column)
                        ? new Location(string.Create(CultureInfo.InvariantCulture, $"{positions.SourceName}:{line}:{column}"), index, line, column)
                        : new Location(positions.SourceName, index);
                case EnvironmentSectionsProvider environment:
                    var leaf = Leaf(provider, key);
                    return new Location($"environment variable {(environment.TryGetVariableName(leaf, out var name) ? name : leaf.Replace(":", "__", StringComparison.Ordinal))}", index);
                case EnvironmentVariablesConfigurationProvider:
                    var prefix = EnvironmentPrefix().Match(provider.ToString() ?? string.Empty) is { Success: true } m ? m.Groups[1].Value : string.Empty;
                    return new Location($"environment variable {prefix}{Leaf(provider, key).Replace(":", "__", StringComparison.Ordinal)}", index);
                case CommandLineConfigurationProvider:
                    return new Location($"command line --{Leaf(provider, key)}", index);
                case FileConfigurationProvider file:
                    var physical = file.Source.FileProvider?.GetFileInfo(file.Source.Path ?? string.Empty).PhysicalPath;
                    var fileName = physical ?? file.Source.Path ?? "file";
                    if (provider is JsonConfigurationProvider && physical is not null && JsonPositionsOf(provider, physical).TryGetValue(key, out var position))
                    {
                        return new Location(string.Create(CultureInfo.InvariantCulture, $"{fileName}:{position.Line}:{position.Column}"), index, position.Line, position.Column);
                    }

                    return new Location(fileName, index);
                default:
                    return null;
            }
        }

        private Dictionary<string, (int Line, int Column)> JsonPositionsOf(IConfigurationProvider provider, string physicalPath)
        {
            if (!_json.TryGetValue(provider, out var positions))
            {
                positions = JsonPositions.Read(physicalPath);
                _json[provider] = positions;
            }

            return positions;
        }

        /// <summary>The key as the provider spells it, descending to its first value when the key is a section.</summary>
        private static string Leaf(IConfigurationProvider provider, string key)
        {
            var spelled = string.Empty;
            foreach (var segment in key.Split(ConfigurationPath.KeyDelimiter))
            {
                var parent = spelled.Length == 0 ? null : spelled;
                var match = provider.GetChildKeys([], parent).FirstOrDefault(k => string.Equals(k, segment, StringComparison.OrdinalIgnoreCase)) ?? segment;
                spelled = parent is null ? match : ConfigurationPath.Combine(parent, match);
            }

            while (!provider.TryGet(spelled, out _) && provider.GetChildKeys([], spelled).Order(ConfigurationKeyComparer.Instance).FirstOrDefault() is { } first)
            {
                spelled = ConfigurationPath.Combine(spelled, first);
            }

            return spelled;
        }
    }

    [GeneratedRegex(@"\[(?<index>\d+)\]|(?<name>[^.\[\]]+)")]
    private static partial Regex Segments();
}
