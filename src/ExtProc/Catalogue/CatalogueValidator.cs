using AiSidecar.Configuration;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Routing;

namespace AiSidecar.ExtProc.Catalogue;

/// <summary>
/// Checks what binding cannot: the <c>catalogue</c> section's ranges, pools, names, aliases and models, each issue on
/// the key path at fault (<c>catalogue.models[2].versions[0].weight</c>).
/// </summary>
internal static partial class CatalogueValidator
{
    private const string Root = CatalogueOptions.SectionName;

    public static void Validate(CatalogueOptions catalogue, ICollection<ConfigIssue> issues)
    {
        ValidateRanges(catalogue.Ranges, issues);
        var pools = ValidatePools(catalogue.Pools, issues);
        var names = new ModelNames(catalogue);
        ValidateNames(catalogue, issues);
        ValidateAliases(catalogue, names, issues);
        for (var i = 0; i < catalogue.Models.Count; i++)
        {
            ValidateModel(catalogue.Models[i], $"{Root}.models[{i}]", pools, issues);
            if (catalogue.Models[i].Coalesce is { } coalesce)
            {
                Coalescing.CoalescingOptionsValidator.ValidateModel(catalogue.Models[i], coalesce, $"{Root}.models[{i}].coalesce", catalogue, issues);
            }
        }

        ValidateUnknownModels(catalogue, names, issues);
    }

    private static void ValidateUnknownModels(CatalogueOptions catalogue, ModelNames names, ICollection<ConfigIssue> issues)
    {
        if (catalogue.UnknownModels != UnknownModelPolicy.Default)
        {
            if (catalogue.DefaultModel is not null)
            {
                issues.Add(new($"{Root}.defaultModel", "is used only with unknownModels: default; set that, or remove defaultModel."));
            }

            return;
        }

        if (catalogue.DefaultModel is not { Length: > 0 } fallback)
        {
            issues.Add(new($"{Root}.defaultModel", "is required with unknownModels: default."));
        }
        else if (!names.TryResolve(fallback, out _, out var problem))
        {
            issues.Add(new($"{Root}.defaultModel", $"{problem}."));
        }
    }

    private static void ValidateRanges(List<TokenRangeOptions> ranges, ICollection<ConfigIssue> issues)
    {
        var previous = -1;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ranges.Count; i++)
        {
            var range = ranges[i];
            var at = $"{Root}.ranges[{i}]";
            HeaderValue($"{at}.name", range.Name, issues);
            HeaderValue($"{at}.pool", range.Pool, issues);
            if (!names.Add(range.Name))
            {
                issues.Add(new($"{at}.name", $"'{range.Name}' is the name of an earlier range; range names must be unique."));
            }

            var last = i == ranges.Count - 1;
            if (range.MaxTokens is { } max)
            {
                if (last)
                {
                    issues.Add(new($"{at}.maxTokens", "must be unset: the last range takes every larger prompt."));
                }
                else if (max <= previous)
                {
                    issues.Add(new($"{at}.maxTokens", $"{max} must be greater than the previous range's ({previous})."));
                }

                previous = max;
            }
            else if (!last)
            {
                issues.Add(new($"{at}.maxTokens", "is required on every range but the last."));
            }
        }
    }

    private static Dictionary<string, HashSet<ApiKind>> ValidatePools(List<PoolOptions> pools, ICollection<ConfigIssue> issues)
    {
        var byName = new Dictionary<string, HashSet<ApiKind>>(StringComparer.Ordinal);
        for (var i = 0; i < pools.Count; i++)
        {
            var at = $"{Root}.pools[{i}]";
            var pool = pools[i];
            HeaderValue($"{at}.name", pool.Name, issues);
            if (!byName.TryAdd(pool.Name, ApiSet(pool.Apis)))
            {
                issues.Add(new($"{at}.name", $"'{pool.Name}' is declared twice."));
            }

            if (pool.Engine is { } engine)
            {
                EngineOptionsValidator.ValidatePool(engine, $"{at}.engine", issues);
            }

            if (pool.Upstream is { } upstream)
            {
                Coalescing.CoalescingOptionsValidator.ValidateUpstream(upstream, $"{at}.upstream", issues);
            }
        }

        return byName;
    }

    private static void ValidateNames(CatalogueOptions catalogue, ICollection<ConfigIssue> issues)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < catalogue.Models.Count; i++)
        {
            var model = catalogue.Models[i];
            Claim(seen, model.Name, $"{Root}.models[{i}].name", issues);
            ModelName($"{Root}.models[{i}].name", model.Name, issues);
            if (ModelNames.IsPattern(model.Name))
            {
                issues.Add(new($"{Root}.models[{i}].name", "must be a plain name; put patterns (with * or ?) in aliases."));
            }

            for (var a = 0; a < model.Aliases.Count; a++)
            {
                Claim(seen, model.Aliases[a], $"{Root}.models[{i}].aliases[{a}]", issues);
                ModelName($"{Root}.models[{i}].aliases[{a}]", model.Aliases[a], issues);
            }
        }

        for (var i = 0; i < catalogue.Aliases.Count; i++)
        {
            Claim(seen, catalogue.Aliases[i].Name, $"{Root}.aliases[{i}].name", issues);
            ModelName($"{Root}.aliases[{i}].name", catalogue.Aliases[i].Name, issues);
        }
    }

    private static void ValidateAliases(CatalogueOptions catalogue, ModelNames names, ICollection<ConfigIssue> issues)
    {
        for (var i = 0; i < catalogue.Aliases.Count; i++)
        {
            var alias = catalogue.Aliases[i];
            if (alias.Target.Length == 0)
            {
                issues.Add(new($"{Root}.aliases[{i}].target", "is required."));
            }
            else if (!names.TryResolve(alias.Name, out _, out var problem))
            {
                issues.Add(new($"{Root}.aliases[{i}].target", $"{problem}."));
            }
        }
    }

    private static void Claim(Dictionary<string, string> seen, string name, string at, ICollection<ConfigIssue> issues)
    {
        if (name.Length > 0 && !seen.TryAdd(name, at))
        {
            issues.Add(new(at, $"'{name}' is already used by {seen[name]}."));
        }
    }

    private static HashSet<ApiKind> ApiSet(List<ApiKind> apis) => apis.Count > 0 ? [.. apis] : [.. Enum.GetValues<ApiKind>()];

    private static void ModelName(string at, string name, ICollection<ConfigIssue> issues)
    {
        if (!ModelNameSyntax.IsValid(name))
        {
            issues.Add(new(at, $"must be {ModelNameSyntax.Rule}."));
        }
    }

    private static void HeaderValue(string at, string value, ICollection<ConfigIssue> issues)
    {
        if (value.Length == 0 || !HeaderSyntax.IsValidValue(value))
        {
            issues.Add(new(at, "must be a non-empty header-safe string (visible ASCII and spaces)."));
        }
    }
}
