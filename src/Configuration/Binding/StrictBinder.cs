using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace AiSidecar.Configuration;

/// <summary>Binds an options section strictly: shape check, binding, then data annotations, every problem an issue on its key path.</summary>
public static partial class StrictBinder
{
    /// <summary>
    /// Binds section <paramref name="sectionName"/> (colon form) to a new <typeparamref name="T"/>; returns null and adds
    /// to <paramref name="issues"/> when anything is wrong. A missing section binds to the defaults, which are still validated.
    /// </summary>
    public static T? Bind<T>(IConfiguration configuration, string sectionName, ICollection<ConfigIssue> issues, IReadOnlyDictionary<string, string>? movedKeys = null)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrEmpty(sectionName);
        ArgumentNullException.ThrowIfNull(issues);

        var before = issues.Count;
        var section = configuration.GetSection(sectionName);
        var path = ConfigPaths.Spelled(configuration, sectionName);
        var options = new T();
        if (section.Exists())
        {
            ConfigShapeChecker.Check(section, typeof(T), path, issues, movedKeys);
            if (issues.Count > before)
            {
                return null;
            }

            try
            {
                // The shape check should leave the binder nothing to refuse; this is the backstop.
                section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException ex)
            {
                issues.Add(BinderIssue(ex, path));
                return null;
            }
        }

        new AnnotationValidator(issues).Object(options, section.Exists() ? section : null, path);
        return issues.Count > before ? null : options;
    }

    private static ConfigIssue BinderIssue(InvalidOperationException ex, string sectionPath)
    {
        var at = QuotedKey().Match(ex.Message);
        var path = at.Success ? ConfigPaths.Dotted(at.Groups[1].Value) : sectionPath;
        var message = ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message;
        return new ConfigIssue(path, message);
    }

    [GeneratedRegex("at '([^']+)'")]
    private static partial Regex QuotedKey();
}
