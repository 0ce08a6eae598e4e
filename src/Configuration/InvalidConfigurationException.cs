namespace AiSidecar.Configuration;

/// <summary>The configuration has issues; <see cref="Lines"/> holds one formatted line per issue.</summary>
public sealed class InvalidConfigurationException : Exception
{
    /// <summary>Creates the exception from formatted issue lines (<c>LOCATION: key.path: message</c>).</summary>
    public InvalidConfigurationException(IReadOnlyList<string> lines)
        : base(string.Join(Environment.NewLine, lines))
    {
        Lines = lines;
    }

    /// <summary>One line per issue, in a stable order.</summary>
    public IReadOnlyList<string> Lines { get; }
}
