using System.Text.RegularExpressions;

namespace AiSidecar.ExtProc.Catalogue;

/// <summary>
/// Resolves a requested name to a model's canonical name: model names and their aliases directly, catalogue aliases
/// by following their chain; alias patterns (<c>*</c>, <c>?</c>) are kept apart, tried last. Built from config both
/// to validate it and to compile it.
/// </summary>
internal sealed class ModelNames
{
    private const int MaxChain = 16;
    private readonly Dictionary<string, string> _direct = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private readonly List<(string Pattern, string Model)> _patterns = [];

    public ModelNames(CatalogueOptions options)
    {
        foreach (var model in options.Models)
        {
            _direct.TryAdd(model.Name, model.Name);
            foreach (var alias in model.Aliases)
            {
                if (IsPattern(alias))
                {
                    _patterns.Add((alias, model.Name));
                }
                else
                {
                    _direct.TryAdd(alias, model.Name);
                }
            }
        }

        foreach (var alias in options.Aliases)
        {
            _aliases.TryAdd(alias.Name, alias.Target);
        }
    }

    /// <summary>True when <paramref name="alias"/> is a glob pattern.</summary>
    public static bool IsPattern(string alias) => alias.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>The whole-name regex of a glob pattern: <c>*</c> any run of characters, <c>?</c> one.</summary>
    public static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking);

    /// <summary>The alias patterns in config order, with their model.</summary>
    public IReadOnlyList<(string Pattern, string Model)> Patterns() => _patterns;

    /// <summary>Every name that resolves, with its model; a name whose chain fails is left out.</summary>
    public IEnumerable<KeyValuePair<string, string>> All()
    {
        foreach (var entry in _direct)
        {
            yield return entry;
        }

        foreach (var alias in _aliases.Keys)
        {
            if (TryResolve(alias, out var model, out _))
            {
                yield return new(alias, model);
            }
        }
    }

    /// <summary>Follows <paramref name="name"/> to a model; on failure <paramref name="problem"/> says why (a loop, a dangling target).</summary>
    public bool TryResolve(string name, out string model, out string? problem)
    {
        var chain = new List<string> { name };
        var current = name;
        while (true)
        {
            if (_direct.TryGetValue(current, out var found))
            {
                model = found;
                problem = null;
                return true;
            }

            model = "";

            if (!_aliases.TryGetValue(current, out var target))
            {
                problem = chain.Count == 1 ? $"'{name}' is not a model or alias" : $"'{current}' (reached through {string.Join(" → ", chain)}) is not a model or alias";
                return false;
            }

            if (chain.Contains(target, StringComparer.Ordinal))
            {
                chain.Add(target);
                problem = $"aliases loop: {string.Join(" → ", chain)}";
                return false;
            }

            chain.Add(target);
            if (chain.Count > MaxChain)
            {
                problem = $"the alias chain from '{name}' is longer than {MaxChain}";
                return false;
            }

            current = target;
        }
    }
}
