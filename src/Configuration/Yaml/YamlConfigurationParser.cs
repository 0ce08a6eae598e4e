using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AiSidecar.Configuration;

/// <summary>
/// Flattens one YAML document into configuration keys (<c>a:b:0:c</c>) and remembers where each key is written.
/// Everything the configuration system would silently merge or misread is a <see cref="ConfigurationFileException"/>.
/// </summary>
internal static class YamlConfigurationParser
{
    // Aliases can make a small file expand into a huge tree; no real config comes close to these.
    private const int MaxDepth = 64;
    private const int MaxKeys = 100_000;

    // Values quoted in messages are cut to this length (a whole file written as one block scalar is one value).
    private const int MaxQuoted = 40;

    private const string NullTag = "tag:yaml.org,2002:null";

    public static YamlConfigurationData Parse(Stream stream, string sourceName)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return Parse(reader, sourceName);
    }

    public static YamlConfigurationData Parse(TextReader reader, string sourceName)
    {
        var yaml = new YamlStream();
        var parser = new Parser(reader);
        try
        {
            yaml.Load(parser);
        }
        catch (YamlException ex)
        {
            const string Duplicate = "Duplicate key ";
            var reason = ex.Message.StartsWith(Duplicate, StringComparison.Ordinal)
                ? $"duplicate key '{ex.Message[Duplicate.Length..]}'"
                : $"not valid YAML: {ex.Message}";
            throw new ConfigurationFileException(sourceName, Line(ex.Start), Column(ex.Start), reason, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet fails this way on some malformed input: an unclosed flow list across lines (its scanner), an
            // invalid tag such as !![x, a value where a key belongs such as " : |" (found by fuzzing, docs/fuzzing.md).
            var after = parser.Current?.End ?? Mark.Empty;
            throw new ConfigurationFileException(sourceName, Line(after), Column(after), "not valid YAML after this point (check brackets and quotes)", ex);
        }

        var data = new YamlConfigurationData();
        if (yaml.Documents.Count == 0)
        {
            return data;
        }

        if (yaml.Documents.Count > 1)
        {
            var second = yaml.Documents[1].RootNode.Start;
            throw new ConfigurationFileException(sourceName, Line(second), Column(second), "more than one YAML document (---); a config file holds exactly one");
        }

        var root = yaml.Documents[0].RootNode;
        switch (root)
        {
            case YamlMappingNode mapping:
                new Walker(sourceName, data).Mapping(mapping, prefix: null, depth: 0);
                return data;
            case YamlScalarNode scalar when IsNull(scalar):
                return data;
            default:
                throw new ConfigurationFileException(sourceName, Line(root.Start), Column(root.Start),
                    $"the root of a config file must be a mapping (key: value), found {Describe(root)}");
        }
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Tag.IsEmpty
            ? scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL"
            : scalar.Tag.Value == NullTag;

    private static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode { Value: { Length: > MaxQuoted } value } => $"the value '{value[..MaxQuoted]}…'",
        YamlScalarNode s => $"the value '{s.Value}'",
        _ => "an alias",
    };

    private static int Line(in Mark mark) => (int)Math.Min(mark.Line, int.MaxValue);

    private static int Column(in Mark mark) => (int)Math.Min(mark.Column, int.MaxValue);

    private sealed class Walker(string sourceName, YamlConfigurationData data)
    {
        public void Mapping(YamlMappingNode mapping, string? prefix, int depth)
        {
            var seen = new Dictionary<string, YamlNode>(StringComparer.OrdinalIgnoreCase);
            foreach (var (keyNode, value) in mapping.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { } name } scalarKey || IsNull(scalarKey))
                {
                    throw Error(keyNode, $"a key must be plain text, found {Describe(keyNode)}");
                }

                if (name.Length == 0 || name.Contains(':', StringComparison.Ordinal))
                {
                    // The configuration system reads ':' as a section separator: 'a:b' would silently become a.b.
                    throw Error(keyNode, name.Length == 0 ? "empty key" : $"the key '{name}' contains ':', which configuration reads as a section separator");
                }

                if (seen.TryGetValue(name, out var first))
                {
                    throw Error(keyNode, $"duplicate key '{name}' (first at line {Line(first.Start)}); keys are case-insensitive");
                }

                seen.Add(name, keyNode);
                var key = prefix is null ? name : prefix + ":" + name;
                Value(value, key, keyNode.Start, depth + 1);
            }
        }

        private void Value(YamlNode node, string key, Mark keyMark, int depth)
        {
            if (depth > MaxDepth)
            {
                throw Error(node, $"nested deeper than {MaxDepth} levels");
            }

            if (data.Values.Count >= MaxKeys)
            {
                throw Error(node, $"more than {MaxKeys} keys");
            }

            data.Positions[key] = (Line(keyMark), Column(keyMark));
            switch (node)
            {
                case YamlScalarNode scalar:
                    data.Values[key] = IsNull(scalar) ? null : scalar.Value;
                    break;
                case YamlMappingNode mapping when mapping.Children.Count == 0:
                    data.Values[key] = null;
                    break;
                case YamlMappingNode mapping:
                    Mapping(mapping, key, depth);
                    break;
                case YamlSequenceNode sequence when sequence.Children.Count == 0:
                    data.Values[key] = null;
                    break;
                case YamlSequenceNode sequence:
                    for (var i = 0; i < sequence.Children.Count; i++)
                    {
                        var item = sequence.Children[i];
                        Value(item, key + ":" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), item.Start, depth + 1);
                    }

                    break;
                default:
                    throw Error(node, "unsupported YAML node");
            }
        }

        private ConfigurationFileException Error(YamlNode node, string reason) =>
            new(sourceName, Line(node.Start), Column(node.Start), reason);
    }
}
