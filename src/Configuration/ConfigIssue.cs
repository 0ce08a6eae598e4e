namespace AiSidecar.Configuration;

/// <summary>One thing wrong with the configuration: the dotted key path (<c>routing.ranges[0].maxTokens</c>) and what is wrong there.</summary>
/// <param name="Path">Dotted key path with list indices, spelled as in the configuration.</param>
/// <param name="Message">A short sentence saying what is wrong and what is expected.</param>
public sealed record ConfigIssue(string Path, string Message)
{
    /// <summary>The issue as <c>key.path: message</c>.</summary>
    public override string ToString() => $"{Path}: {Message}";
}
