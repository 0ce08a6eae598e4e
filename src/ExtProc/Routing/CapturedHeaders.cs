namespace AiSidecar.ExtProc.Routing;

/// <summary>The few request headers a decision reads (model type, experiment, stickiness keys), captured by name when the request headers arrive.</summary>
internal sealed class CapturedHeaders
{
    private readonly KeyValuePair<string, string>[] _values;

    /// <summary>Holds <paramref name="values"/> (lower-case names; the first value of each).</summary>
    public CapturedHeaders(IEnumerable<KeyValuePair<string, string>> values) => _values = [.. values];

    /// <summary>No headers.</summary>
    public static CapturedHeaders Empty { get; } = new([]);

    /// <summary>The captured value of <paramref name="name"/>, or null when the request did not carry it.</summary>
    public string? Get(string name)
    {
        foreach (var (key, value) in _values)
        {
            if (string.Equals(key, name, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return null;
    }
}
