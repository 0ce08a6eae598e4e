using AiSidecar.GpuAgent.Api.V1;
using AiSidecar.GpuAgent.Kubelet.PodResources.V1;

namespace AiSidecar.GpuAgent.PodResources;

/// <summary>Builds the UUID-to-pods map from a pod-resources <c>List</c> answer.</summary>
/// <remarks>
/// Device ids are the device plugin's NVML UUIDs (<c>GPU-…</c> or <c>MIG-…</c>), with <c>::N</c> replica suffixes under
/// time-slicing or MPS; several pods can then share one GPU. Other id formats (GKE's <c>nvidiaN</c>) are skipped.
/// </remarks>
internal static class PodDeviceMapper
{
    public static Dictionary<string, PodRef[]> Build(ListPodResourcesResponse response, IReadOnlyList<string> resourcePrefixes)
    {
        var byUuid = new Dictionary<string, List<PodRef>>(StringComparer.Ordinal);
        foreach (var pod in response.PodResources)
        {
            foreach (var container in pod.Containers)
            {
                foreach (var devices in container.Devices)
                {
                    if (!resourcePrefixes.Any(p => devices.ResourceName.StartsWith(p, StringComparison.Ordinal)))
                    {
                        continue;
                    }

                    foreach (var id in devices.DeviceIds)
                    {
                        Add(byUuid, NormalizeId(id), new PodRef { Namespace = pod.Namespace, Pod = pod.Name, Container = container.Name });
                    }
                }
            }
        }

        return byUuid.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Strips a <c>::N</c> replica suffix; returns empty for ids that are not NVML UUIDs.</summary>
    public static string NormalizeId(string deviceId)
    {
        var sep = deviceId.IndexOf("::", StringComparison.Ordinal);
        var id = sep < 0 ? deviceId : deviceId[..sep];
        return id.StartsWith("GPU-", StringComparison.Ordinal) || id.StartsWith("MIG-", StringComparison.Ordinal) ? id : string.Empty;
    }

    private static void Add(Dictionary<string, List<PodRef>> byUuid, string uuid, PodRef pod)
    {
        if (uuid.Length == 0)
        {
            return;
        }

        if (!byUuid.TryGetValue(uuid, out var pods))
        {
            byUuid[uuid] = pods = [];
        }

        if (!pods.Contains(pod))
        {
            pods.Add(pod);
        }
    }
}
