using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Routing.Reload;

/// <summary>Binds, completes and validates the <c>routing</c> section of a configuration, as the server does at start.</summary>
internal static partial class RoutingConfigReader
{
    /// <summary>The section's options, or the errors (each naming its key path) that make it unusable.</summary>
    public static bool TryRead(IConfiguration configuration, out RoutingOptions options, out IReadOnlyList<string> errors)
    {
        options = new RoutingOptions();
        try
        {
            configuration.GetSection(RoutingOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key in colon form: routing:registry:models:0:versions:0:weight.
            errors = [DottedPaths(ex.Message)];
            return false;
        }

        options.ApplyDefaults();
        var result = new RoutingOptionsValidator(configuration).Validate(Options.DefaultName, options);
        errors = result.Failed ? [.. result.Failures] : [];
        return !result.Failed;
    }

    /// <summary>Rewrites quoted colon paths (<c>'a:b:0:c'</c>) as the docs write them (<c>'a.b[0].c'</c>).</summary>
    public static string DottedPaths(string message) =>
        ColonPath().Replace(message, m => "'" + Dotted(m.Groups[1].Value) + "'");

    public static string Dotted(string colonPath)
    {
        var parts = colonPath.Split(':');
        var result = new System.Text.StringBuilder(parts[0]);
        foreach (var part in parts.Skip(1))
        {
            result.Append(part.All(char.IsAsciiDigit) ? $"[{part}]" : "." + part);
        }

        return result.ToString();
    }

    [GeneratedRegex("'([A-Za-z][^':\\s]*(?::[^':\\s]+)+)'")]
    private static partial Regex ColonPath();
}
