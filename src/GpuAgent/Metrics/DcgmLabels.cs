using System.Globalization;
using AiSidecar.GpuAgent.Api.V1;

namespace AiSidecar.GpuAgent.Metrics;

/// <summary>dcgm-exporter's label names and how a device fills them.</summary>
internal static class DcgmLabels
{
    /// <summary>Label names in dcgm-exporter's spelling (<c>hostname</c> is the post-#655 name).</summary>
    public static readonly string[] Names =
    [
        "gpu", "UUID", "pci_bus_id", "device", "modelName", "GPU_I_PROFILE", "GPU_I_ID", "hostname", "container", "namespace", "pod",
    ];

    /// <summary>One label set per pod using the device (one with empty pod labels when none is known).</summary>
    public static IEnumerable<string[]> For(GpuDevice gpu, MigDevice? mig, string hostname)
    {
        var index = gpu.Index.ToString(CultureInfo.InvariantCulture);
        var profile = mig is null ? string.Empty : MigProfile(mig.Name);
        var instance = mig is null ? string.Empty : mig.GpuInstanceId.ToString(CultureInfo.InvariantCulture);
        var pods = mig?.Pods ?? gpu.Pods;
        if (pods.Count == 0)
        {
            yield return [index, gpu.Uuid, gpu.PciBusId, "nvidia" + index, gpu.Name, profile, instance, hostname, string.Empty, string.Empty, string.Empty];
            yield break;
        }

        foreach (var pod in pods)
        {
            yield return [index, gpu.Uuid, gpu.PciBusId, "nvidia" + index, gpu.Name, profile, instance, hostname, pod.Container, pod.Namespace, pod.Pod];
        }
    }

    /// <summary>"NVIDIA A100-SXM4-40GB MIG 1g.5gb" gives "1g.5gb".</summary>
    public static string MigProfile(string migName)
    {
        var at = migName.LastIndexOf("MIG ", StringComparison.Ordinal);
        return at < 0 ? migName : migName[(at + 4)..];
    }
}
