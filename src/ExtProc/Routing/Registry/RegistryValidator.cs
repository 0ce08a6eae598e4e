namespace AiSidecar.ExtProc.Routing.Registry;

/// <summary>
/// Checks <c>routing.registry</c>; every error starts with the key path at fault
/// (<c>routing.registry.models[2].versions[0].weight</c>).
/// </summary>
internal static partial class RegistryValidator
{
    private const string Root = "routing.registry";

    public static void Validate(RoutingOptions routing, List<string> errors)
    {
        var registry = routing.Registry;
        if (!registry.IsEnabled)
        {
            return;
        }

        if (routing.Models.Count > 0)
        {
            errors.Add("routing.models: must be empty when routing.registry.models is set; list the names as registry models or aliases.");
        }

        var owned = new HashSet<string>(routing.Headers.All, StringComparer.Ordinal);
        InputHeader($"{Root}.modelTypeHeader", registry.ModelTypeHeader, owned, errors);
        InputHeader($"{Root}.experimentHeader", registry.ExperimentHeader, owned, errors);
        ValidateStickiness(registry.Stickiness, owned, errors);
        var pools = ValidatePools(registry.Pools, errors);
        var names = new ModelNames(registry);
        ValidateNames(registry, errors);
        ValidateAliases(registry, names, errors);
        for (var i = 0; i < registry.Models.Count; i++)
        {
            ValidateModel(registry.Models[i], $"{Root}.models[{i}]", pools, errors);
        }

        if (registry.DefaultModel is { Length: > 0 } fallback && !names.TryResolve(fallback, out _, out var problem))
        {
            errors.Add($"{Root}.defaultModel: {problem}.");
        }
    }

    private static void ValidateStickiness(StickinessOptions stickiness, HashSet<string> owned, List<string> errors)
    {
        for (var i = 0; i < stickiness.Keys.Count; i++)
        {
            var key = stickiness.Keys[i];
            var at = $"{Root}.stickiness.keys[{i}]";
            if ((key.Header is null) == (key.Field is null))
            {
                errors.Add($"{at}: set exactly one of header or field.");
            }
            else if (key.Header is not null)
            {
                InputHeader($"{at}.header", key.Header, owned, errors);
            }
            else if (key.Field != "user")
            {
                errors.Add($"{at}.field: '{key.Field}' is not supported; the only body field is 'user'.");
            }
        }

        if (stickiness.NoKey is not ("primary" or "requestId"))
        {
            errors.Add($"{Root}.stickiness.noKey: '{stickiness.NoKey}' must be primary or requestId.");
        }
    }

    private static Dictionary<string, HashSet<Inspection.ApiKind>> ValidatePools(List<PoolOptions> pools, List<string> errors)
    {
        var byName = new Dictionary<string, HashSet<Inspection.ApiKind>>(StringComparer.Ordinal);
        for (var i = 0; i < pools.Count; i++)
        {
            var at = $"{Root}.pools[{i}]";
            var pool = pools[i];
            HeaderValue($"{at}.name", pool.Name, errors);
            ValidateApis($"{at}.apis", pool.Apis, errors);
            if (!byName.TryAdd(pool.Name, ApiNames.SetOf(pool.Apis)))
            {
                errors.Add($"{at}.name: '{pool.Name}' is declared twice.");
            }
        }

        return byName;
    }

    private static void ValidateNames(ModelRegistryOptions registry, List<string> errors)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < registry.Models.Count; i++)
        {
            var model = registry.Models[i];
            Claim(seen, model.Name, $"{Root}.models[{i}].name", errors);
            ModelName($"{Root}.models[{i}].name", model.Name, errors);
            for (var a = 0; a < model.Aliases.Count; a++)
            {
                Claim(seen, model.Aliases[a], $"{Root}.models[{i}].aliases[{a}]", errors);
                ModelName($"{Root}.models[{i}].aliases[{a}]", model.Aliases[a], errors);
            }
        }

        for (var i = 0; i < registry.Aliases.Count; i++)
        {
            Claim(seen, registry.Aliases[i].Name, $"{Root}.aliases[{i}].name", errors);
            ModelName($"{Root}.aliases[{i}].name", registry.Aliases[i].Name, errors);
        }
    }

    private static void ValidateAliases(ModelRegistryOptions registry, ModelNames names, List<string> errors)
    {
        for (var i = 0; i < registry.Aliases.Count; i++)
        {
            var alias = registry.Aliases[i];
            if (alias.Target.Length == 0)
            {
                errors.Add($"{Root}.aliases[{i}].target: required.");
            }
            else if (!names.TryResolve(alias.Name, out _, out var problem))
            {
                errors.Add($"{Root}.aliases[{i}].target: {problem}.");
            }
        }
    }

    private static void Claim(Dictionary<string, string> seen, string name, string at, List<string> errors)
    {
        if (name.Length > 0 && !seen.TryAdd(name, at))
        {
            errors.Add($"{at}: '{name}' is already used by {seen[name]}.");
        }
    }
}
