using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration.Tests.Infrastructure;

/// <summary>Runs the shape checker on one section.</summary>
internal static class ShapeChecks
{
    /// <summary>Shape issues of <paramref name="section"/> against <typeparamref name="T"/>.</summary>
    public static List<ConfigIssue> Of<T>(IConfiguration configuration, string section, IReadOnlyDictionary<string, string>? moved = null)
    {
        var issues = new List<ConfigIssue>();
        ConfigShapeChecker.Check(configuration.GetSection(section), typeof(T), issues, moved);
        return issues;
    }
}
