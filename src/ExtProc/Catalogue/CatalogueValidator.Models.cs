using System.Globalization;
using AiSidecar.Configuration;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Catalogue;

/// <summary>Models, versions, weights, tokenizers and experiments.</summary>
internal static partial class CatalogueValidator
{
    private static void ValidateModel(ModelOptions model, string at, Dictionary<string, HashSet<ApiKind>> pools, ICollection<ConfigIssue> issues)
    {
        ValidateTokenizer(model.Tokenizer, $"{at}.tokenizer", issues);
        var apis = ApiSet(model.Apis);
        ValidateOverflow(model, at, apis, pools, issues);
        if (model.Versions.Count == 0)
        {
            if (model.Experiments.Count > 0)
            {
                issues.Add(new($"{at}.experiments", "pin versions: a model without versions has none to pin."));
            }

            return;
        }

        var versions = new HashSet<string>(StringComparer.Ordinal);
        var variants = new Dictionary<string, string>(StringComparer.Ordinal);
        var total = 0m;
        for (var i = 0; i < model.Versions.Count; i++)
        {
            var version = model.Versions[i];
            var vat = $"{at}.versions[{i}]";
            HeaderValue($"{vat}.name", version.Name, issues);
            if (!versions.Add(version.Name))
            {
                issues.Add(new($"{vat}.name", $"'{version.Name}' is used by another version of '{model.Name}'."));
            }

            ValidatePool(version.Pool, $"{vat}.pool", model, apis, pools, issues);
            if (version.ServedModel is { } served)
            {
                ModelName($"{vat}.servedModel", served, issues);
            }

            HeaderValue($"{vat}.variant", version.EffectiveVariant, issues);
            if (!variants.TryAdd(version.EffectiveVariant, version.Name))
            {
                issues.Add(new($"{vat}.variant", $"'{version.EffectiveVariant}' is already the variant of version '{variants[version.EffectiveVariant]}'; give each version its own variant (set variant: for an A/B split)."));
            }

            total += ValidateWeight(version, vat, model.Versions.Count, issues);
            ValidateTokenizer(version.Tokenizer, $"{vat}.tokenizer", issues);
        }

        if (total != 100m)
        {
            var listed = string.Join(" + ", model.Versions.Select(v => (v.Weight ?? 0m).ToString(CultureInfo.InvariantCulture)));
            issues.Add(new($"{at}.versions", $"the weights of '{model.Name}' sum to {total.ToString(CultureInfo.InvariantCulture)} ({listed}); they must sum to 100."));
        }

        ValidateExperiments(model, at, versions, issues);
    }

    private static void ValidateTokenizer(TokenizerOptions? tokenizer, string at, ICollection<ConfigIssue> issues)
    {
        if (tokenizer is null)
        {
            return;
        }

        if ((tokenizer.Encoding is null) == (tokenizer.File is null))
        {
            issues.Add(new(at, "set exactly one of encoding and file."));
        }
        else if (tokenizer.File is { Length: 0 })
        {
            issues.Add(new($"{at}.file", "must be a path to a tokenizer.json file."));
        }
        else if (tokenizer.Template != ChatTemplate.OpenAi && tokenizer.File is null)
        {
            issues.Add(new($"{at}.template", $"{ConfigEnumNames.ToConfigName(tokenizer.Template)} needs a tokenizer.json file (its special tokens); with an encoding use openai."));
        }
    }

    private static void ValidatePool(string pool, string at, ModelOptions model, HashSet<ApiKind> apis, Dictionary<string, HashSet<ApiKind>> pools, ICollection<ConfigIssue> issues)
    {
        if (!pools.TryGetValue(pool, out var served))
        {
            issues.Add(new(at, $"'{pool}' is not a pool declared in {Root}.pools."));
            return;
        }

        foreach (var api in apis.Where(a => !served.Contains(a)).Order())
        {
            issues.Add(new(at, $"pool '{pool}' does not serve {ConfigEnumNames.ToConfigName(api)}, which model '{model.Name}' serves."));
        }
    }

    /// <summary>Overflow pools: declared, serving the model's APIs, none twice and none a pool of the model's own versions.</summary>
    private static void ValidateOverflow(ModelOptions model, string at, HashSet<ApiKind> apis, Dictionary<string, HashSet<ApiKind>> pools, ICollection<ConfigIssue> issues)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < model.Overflow.Count; i++)
        {
            var overflow = model.Overflow[i];
            var oat = $"{at}.overflow[{i}]";
            ValidatePool(overflow.Pool, $"{oat}.pool", model, apis, pools, issues);
            if (!seen.Add(overflow.Pool))
            {
                issues.Add(new($"{oat}.pool", $"'{overflow.Pool}' is listed twice."));
            }
            else if (model.Versions.Any(v => v.Pool == overflow.Pool))
            {
                issues.Add(new($"{oat}.pool", $"'{overflow.Pool}' runs a version of '{model.Name}' already: overflow goes to other pools."));
            }

            if (overflow.ServedModel is { } served)
            {
                ModelName($"{oat}.servedModel", served, issues);
            }
        }
    }

    private static decimal ValidateWeight(ModelVersionOptions version, string at, int versionCount, ICollection<ConfigIssue> issues)
    {
        if (version.Weight is not { } weight)
        {
            if (versionCount > 1)
            {
                issues.Add(new($"{at}.weight", "is required when a model has several versions."));
                return 0m;
            }

            return 100m;
        }

        if (weight is < 0m or > 100m || decimal.Round(weight, 2) != weight)
        {
            issues.Add(new($"{at}.weight", $"{weight.ToString(CultureInfo.InvariantCulture)} must be a percentage from 0 to 100 with at most two decimals."));
        }

        return weight;
    }

    private static void ValidateExperiments(ModelOptions model, string at, HashSet<string> versions, ICollection<ConfigIssue> issues)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < model.Experiments.Count; i++)
        {
            var experiment = model.Experiments[i];
            HeaderValue($"{at}.experiments[{i}].value", experiment.Value, issues);
            if (!values.Add(experiment.Value))
            {
                issues.Add(new($"{at}.experiments[{i}].value", $"'{experiment.Value}' is listed twice."));
            }

            if (!versions.Contains(experiment.Version))
            {
                issues.Add(new($"{at}.experiments[{i}].version", $"'{experiment.Version}' is not a version of '{model.Name}'."));
            }
        }
    }
}
