using System.Text.Json;

namespace AiSidecar.Interop.Tests.Infrastructure;

/// <summary>
/// Runs tools/envoy-api/validate-manifests.mjs: Kubernetes, Istio and Argo Rollouts manifests against their API
/// schemas (the kubernetes-models packages), with unknown fields rejected.
/// </summary>
internal static class ManifestSchemaTool
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public static async Task<ManifestRun> ValidateAsync(params string[] files)
    {
        var result = await EnvoyApiTool.RunScriptAsync("validate-manifests.mjs", files);
        var documents = result.StdOut
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonSerializer.Deserialize<ManifestResult>(line, Json)
                ?? throw new InvalidOperationException($"not a result: {line}"))
            .ToList();
        return new ManifestRun(result, documents);
    }
}

/// <summary>One run: the process result and one entry per YAML document.</summary>
internal sealed record ManifestRun(NodeResult Process, IReadOnlyList<ManifestResult> Documents)
{
    public override string ToString() => Process.ToString();
}

/// <summary>What the script printed for one document.</summary>
internal sealed record ManifestResult(
    string File,
    int? Document,
    string? ApiVersion,
    string? Kind,
    string? Name,
    bool Ok,
    IReadOnlyList<ManifestError> Errors,
    string? Skipped);

/// <summary>A schema error: the JSON path of the offending value ($.spec.http[0]...), the check and ajv's message.</summary>
internal sealed record ManifestError(string Path, string Keyword, string Message);
