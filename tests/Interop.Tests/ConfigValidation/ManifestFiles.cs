namespace AiSidecar.Interop.Tests.ConfigValidation;

/// <summary>Finds every Kubernetes, Istio and Argo Rollouts manifest in the repository: YAML under istio/ and deploy/k8s/.</summary>
internal static class ManifestFiles
{
    private static readonly string[] Folders = ["istio", Path.Combine("deploy", "k8s")];

    public static IReadOnlyList<string> Discover(string root) =>
    [
        .. Folders
            .Select(f => Path.Combine(root, f))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>kustomize's own files: no API object, no schema; the validator skips them and says so.</summary>
    public static bool IsKustomization(string relativePath) =>
        Path.GetFileName(relativePath) is "kustomization.yaml" or "kustomization.yml";
}
