namespace AiSidecar.Configuration;

/// <summary>Temporary until the configuration library lands.</summary>
internal sealed record ConfigIssue(string Path, string Message);
