namespace AiSidecar.Configuration;

/// <summary>A configuration provider that knows where in its source file each key is written.</summary>
public interface IConfigurationPositions
{
    /// <summary>The file name (or the name given to in-memory content) shown in locations.</summary>
    string SourceName { get; }

    /// <summary>Finds the 1-based line and column of a key (colon form, case-insensitive); false when the key is not in the file.</summary>
    bool TryGetPosition(string key, out int line, out int column);
}
