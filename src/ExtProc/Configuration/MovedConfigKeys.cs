namespace AiSidecar.ExtProc.Configuration;

/// <summary>Keys that have moved (or gone): named with their new place instead of reported as unknown.</summary>
internal static class MovedConfigKeys
{
    /// <summary>Key path → where it went (or that it is gone).</summary>
    public static readonly Dictionary<string, string> All = new(StringComparer.OrdinalIgnoreCase)
    {
        ["routing.registry"] = "moved: the models are in catalogue.models (with their versions, aliases and tokenizer), pools in catalogue.pools, aliases in catalogue.aliases, defaultModel in catalogue.defaultModel (with catalogue.unknownModels: default); modelTypeHeader, experimentHeader and stickiness are directly under routing.",
        ["routing.models"] = "moved: list each model as catalogue.models[].name, and set catalogue.unknownModels: reject to refuse the others.",
        ["routing.ranges"] = "moved to catalogue.ranges.",
        ["routing.reloadCheckSeconds"] = "moved to server.reloadCheckSeconds (one setting for the config file and the tokenizer files).",
        ["tokenization.models"] = "moved: give each model its tokenizer in catalogue.models[].tokenizer ({ encoding | file, template }), and a version its own in catalogue.models[].versions[].tokenizer.",
        ["tokenization.reloadCheckSeconds"] = "moved to server.reloadCheckSeconds (one setting for the config file and the tokenizer files).",
        ["tokenization.defaultTemplate"] = "removed: the default encoding always counts with OpenAI's chat overhead; chat templates belong to catalogue models (catalogue.models[].tokenizer.template).",
        ["catalogue.models[*].versions[*].healthCheck"] = "removed: the data plane checks backends (the DestinationRule's outlier detection, Kubernetes probes); the server never read these settings.",
    };
}
