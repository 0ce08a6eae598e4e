using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration;

/// <summary>Loads in-memory YAML into configuration keys and answers where each key is written.</summary>
internal sealed class PositionedYamlContentProvider(PositionedYamlContentSource source) : ConfigurationProvider, IConfigurationPositions
{
    private Dictionary<string, (int Line, int Column)> _positions = new(StringComparer.OrdinalIgnoreCase);

    public string SourceName => source.SourceName;

    public override void Load()
    {
        using var stream = MemoryMarshal.TryGetArray(source.Content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(source.Content.ToArray(), writable: false);
        var data = YamlConfigurationParser.Parse(stream, SourceName);
        Data = data.Values;
        _positions = data.Positions;
    }

    public bool TryGetPosition(string key, out int line, out int column)
    {
        var found = _positions.TryGetValue(key, out var position);
        (line, column) = position;
        return found;
    }

    public override string ToString() => $"{GetType().Name} for '{SourceName}'";
}
