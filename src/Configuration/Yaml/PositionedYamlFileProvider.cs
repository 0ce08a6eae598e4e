using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration;

/// <summary>Loads a YAML file into configuration keys and answers where each key is written.</summary>
internal sealed class PositionedYamlFileProvider(PositionedYamlFileSource source) : FileConfigurationProvider(source), IConfigurationPositions
{
    private Dictionary<string, (int Line, int Column)> _positions = new(StringComparer.OrdinalIgnoreCase);

    public string SourceName =>
        Source.FileProvider?.GetFileInfo(Source.Path ?? string.Empty).PhysicalPath ?? Source.Path ?? string.Empty;

    public override void Load()
    {
        try
        {
            base.Load();
        }
        catch (InvalidDataException ex) when (ex.InnerException is ConfigurationFileException inner)
        {
            // The file provider wraps every load error; the YAML error already names the file, line and column.
            ExceptionDispatchInfo.Capture(inner).Throw();
        }
    }

    public override void Load(Stream stream)
    {
        _positions = new(StringComparer.OrdinalIgnoreCase);
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
