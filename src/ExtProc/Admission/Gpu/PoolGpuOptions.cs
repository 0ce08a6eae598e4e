namespace AiSidecar.ExtProc.Admission.Gpu;

/// <summary>
/// Which GPUs serve a pool (<c>catalogue.pools[].gpus</c>): those the agents report a matching pod on (namespace and
/// pod-name glob), or every GPU of the agents whose pool labels match. Each given part must match.
/// </summary>
internal sealed class PoolGpuOptions
{
    /// <summary>Namespace of the model-server pods. Default any.</summary>
    public string Namespace { get; set; } = "";

    /// <summary>Glob (<c>*</c>, <c>?</c>) on the model-server pod names. Default any.</summary>
    public string Pods { get; set; } = "";

    /// <summary>Pool labels the node's agent must report (its <c>poolLabels</c>). Default none.</summary>
    public Dictionary<string, string> NodeLabels { get; set; } = new(StringComparer.Ordinal);
}
