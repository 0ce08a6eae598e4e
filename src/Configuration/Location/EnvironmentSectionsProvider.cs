using System.Collections;
using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration;

/// <summary>Loads environment variables as the standard provider does (prefix stripped, <c>__</c> → <c>:</c>) and knows each key's variable.</summary>
internal sealed class EnvironmentSectionsProvider(EnvironmentSectionsSource source) : ConfigurationProvider
{
    private Dictionary<string, string> _variables = new(StringComparer.OrdinalIgnoreCase);

    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (!name.StartsWith(source.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var key = name[source.Prefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            var section = key.Split(ConfigurationPath.KeyDelimiter)[0];
            if (key.Length == 0 || (source.Sections is { } sections && !sections.Contains(section, StringComparer.OrdinalIgnoreCase)))
            {
                continue;
            }

            data[key] = entry.Value as string;
            variables[key] = name;
        }

        Data = data;
        _variables = variables;
    }

    /// <summary>The variable that set <paramref name="key"/> (colon form, case-insensitive).</summary>
    public bool TryGetVariableName(string key, out string name) => _variables.TryGetValue(key, out name!);

    public override string ToString() => $"{GetType().Name} Prefix: '{source.Prefix}'";
}
