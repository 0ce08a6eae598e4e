namespace AiSidecar.ExtProc.Commands;

/// <summary>
/// Separates config overrides (<c>--section:key=value</c>, <c>--section:key value</c>) from the command line proper:
/// overrides go to the configuration, where the strict checks name any unknown key; the rest is parsed as commands
/// and options, where anything unknown is an error.
/// </summary>
internal static class ConfigOverrides
{
    /// <summary>The arguments without overrides, and the overrides in the form the configuration reads.</summary>
    public static (string[] Arguments, string[] Overrides) Split(IReadOnlyList<string> args)
    {
        var arguments = new List<string>();
        var overrides = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var name = arg.Split('=', 2)[0];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || !name.Contains(':', StringComparison.Ordinal))
            {
                arguments.Add(arg);
            }
            else if (arg.Contains('=', StringComparison.Ordinal) || i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                overrides.Add(arg);
            }
            else
            {
                overrides.Add($"{arg}={args[++i]}");
            }
        }

        return ([.. arguments], [.. overrides]);
    }
}
