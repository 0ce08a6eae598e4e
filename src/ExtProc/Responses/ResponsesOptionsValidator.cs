using AiSidecar.Configuration;

namespace AiSidecar.ExtProc.Responses;

/// <summary>What binding cannot check in the <c>responses</c> section: the dynamic metadata namespace's shape and what it needs.</summary>
internal static class ResponsesOptionsValidator
{
    /// <summary>The longest namespace accepted: far above any Envoy filter name.</summary>
    private const int MaxNamespaceLength = 128;

    public static void Validate(ResponsesOptions options, ICollection<ConfigIssue> issues)
    {
        var ns = options.DynamicMetadataNamespace;
        if (ns.Length == 0)
        {
            return;
        }

        const string Key = $"{ResponsesOptions.SectionName}.dynamicMetadataNamespace";

        // Envoy's %DYNAMIC_METADATA(namespace:key)% reads up to the first ':' as the namespace.
        if (ns.Length > MaxNamespaceLength || !ns.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            issues.Add(new(Key, $"'{ns}' must be 1 to {MaxNamespaceLength} ASCII letters, digits, '.', '_' or '-' (Envoy's DYNAMIC_METADATA(namespace:key) ends the namespace at ':'), for example ai.sidecar."));
        }

        if (!options.ReadUsage)
        {
            issues.Add(new(Key, "needs responses.readUsage: true, or the usage half of the metadata (what the response reported) is never sent."));
        }
    }
}
