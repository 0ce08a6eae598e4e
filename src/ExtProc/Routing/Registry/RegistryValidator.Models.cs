using System.Globalization;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Routing.Registry;

/// <summary>Models, versions, weights and experiments.</summary>
internal static partial class RegistryValidator
{
    private static void ValidateModel(ModelOptions model, string at, Dictionary<string, HashSet<ApiKind>> pools, List<string> errors)
    {
        ValidateApis($"{at}.apis", model.Apis, errors);
        if (model.Versions.Count == 0)
        {
            errors.Add($"{at}.versions: a model needs at least one version.");
            return;
        }

        var apis = ApiNames.SetOf(model.Apis);
        var versions = new HashSet<string>(StringComparer.Ordinal);
        var variants = new Dictionary<string, string>(StringComparer.Ordinal);
        var total = 0m;
        for (var i = 0; i < model.Versions.Count; i++)
        {
            var version = model.Versions[i];
            var vat = $"{at}.versions[{i}]";
            HeaderValue($"{vat}.name", version.Name, errors);
            if (!versions.Add(version.Name))
            {
                errors.Add($"{vat}.name: '{version.Name}' is used by another version of '{model.Name}'.");
            }

            ValidatePool(version, vat, model, apis, pools, errors);
            if (version.ServedModel is { } served)
            {
                ModelName($"{vat}.servedModel", served, errors);
            }

            HeaderValue($"{vat}.variant", version.EffectiveVariant, errors);
            if (!variants.TryAdd(version.EffectiveVariant, version.Name))
            {
                errors.Add($"{vat}.variant: '{version.EffectiveVariant}' is already the variant of version '{variants[version.EffectiveVariant]}'; give each version its own variant (set variant: for an A/B split).");
            }

            total += ValidateWeight(version, vat, model.Versions.Count, errors);
            ValidateHealthCheck(version.HealthCheck, $"{vat}.healthCheck", errors);
        }

        if (total != 100m)
        {
            var listed = string.Join(" + ", model.Versions.Select(v => (v.Weight ?? 0m).ToString(CultureInfo.InvariantCulture)));
            errors.Add($"{at}.versions: the weights of '{model.Name}' sum to {total.ToString(CultureInfo.InvariantCulture)} ({listed}); they must sum to 100.");
        }

        ValidateExperiments(model, at, versions, errors);
    }

    private static void ValidatePool(ModelVersionOptions version, string at, ModelOptions model, HashSet<ApiKind> apis, Dictionary<string, HashSet<ApiKind>> pools, List<string> errors)
    {
        if (!pools.TryGetValue(version.Pool, out var served))
        {
            errors.Add($"{at}.pool: '{version.Pool}' is not a pool declared in {Root}.pools.");
            return;
        }

        foreach (var api in apis.Where(a => !served.Contains(a)).Order())
        {
            errors.Add($"{at}.pool: pool '{version.Pool}' does not serve {ApiNames.Of(api)}, which model '{model.Name}' serves.");
        }
    }

    private static decimal ValidateWeight(ModelVersionOptions version, string at, int versionCount, List<string> errors)
    {
        if (version.Weight is not { } weight)
        {
            if (versionCount > 1)
            {
                errors.Add($"{at}.weight: required when a model has several versions.");
                return 0m;
            }

            return 100m;
        }

        if (weight is < 0m or > 100m || decimal.Round(weight, 2) != weight)
        {
            errors.Add($"{at}.weight: {weight.ToString(CultureInfo.InvariantCulture)} must be a percentage from 0 to 100 with at most two decimals.");
        }

        return weight;
    }

    private static void ValidateHealthCheck(HealthCheckOptions check, string at, List<string> errors)
    {
        if (!check.Path.StartsWith('/') || !HeaderSyntax.IsValidValue(check.Path))
        {
            errors.Add($"{at}.path: '{check.Path}' must be an absolute HTTP path.");
        }

        if (check.IntervalSeconds < 1)
        {
            errors.Add($"{at}.intervalSeconds: must be at least 1.");
        }

        if (check.TimeoutSeconds < 1 || check.TimeoutSeconds > check.IntervalSeconds)
        {
            errors.Add($"{at}.timeoutSeconds: must be from 1 to intervalSeconds ({check.IntervalSeconds}).");
        }

        if (check.UnhealthyThreshold < 1)
        {
            errors.Add($"{at}.unhealthyThreshold: must be at least 1.");
        }
    }

    private static void ValidateExperiments(ModelOptions model, string at, HashSet<string> versions, List<string> errors)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < model.Experiments.Count; i++)
        {
            var experiment = model.Experiments[i];
            HeaderValue($"{at}.experiments[{i}].value", experiment.Value, errors);
            if (!values.Add(experiment.Value))
            {
                errors.Add($"{at}.experiments[{i}].value: '{experiment.Value}' is listed twice.");
            }

            if (!versions.Contains(experiment.Version))
            {
                errors.Add($"{at}.experiments[{i}].version: '{experiment.Version}' is not a version of '{model.Name}'.");
            }
        }
    }

    private static void ValidateApis(string at, List<string> apis, List<string> errors)
    {
        for (var i = 0; i < apis.Count; i++)
        {
            if (!ApiNames.TryParse(apis[i], out _))
            {
                errors.Add($"{at}[{i}]: '{apis[i]}' is not an API; use {ApiNames.Allowed}.");
            }
        }
    }

    private static void ModelName(string at, string name, List<string> errors)
    {
        if (name.Length is 0 or > 256 || name.Any(char.IsControl))
        {
            errors.Add($"{at}: must be a name of 1 to 256 characters without control characters.");
        }
    }

    private static void HeaderValue(string at, string value, List<string> errors)
    {
        if (value.Length == 0 || !HeaderSyntax.IsValidValue(value))
        {
            errors.Add($"{at}: must be a non-empty header-safe string.");
        }
    }

    private static void InputHeader(string at, string name, HashSet<string> owned, List<string> errors)
    {
        if (!HeaderSyntax.IsOwnableName(name))
        {
            errors.Add($"{at}: '{name}' must be a lower-case header name, not a pseudo-header, host or x-envoy-*.");
        }
        else if (owned.Contains(name))
        {
            errors.Add($"{at}: '{name}' is a header the server owns (routing.headers); clients' copies are removed.");
        }
    }
}
