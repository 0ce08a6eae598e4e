namespace AiSidecar.GpuAgent.PodResources;

/// <summary>Log messages of the pod-resources area.</summary>
internal static partial class PodResourcesLog
{
    [LoggerMessage(1, LogLevel.Information, "Kubelet pod-resources socket {SocketPath} is absent; snapshots and metrics carry no pod labels", EventName = "SocketAbsent")]
    public static partial void SocketAbsent(ILogger logger, string socketPath);

    [LoggerMessage(2, LogLevel.Warning, "Kubelet pod-resources List failed; dropping pod labels until it answers", EventName = "ListFailed")]
    public static partial void ListFailed(ILogger logger, Exception exception);

    [LoggerMessage(3, LogLevel.Information, "Kubelet pod-resources mapping is available ({DeviceCount} GPU devices assigned to pods)", EventName = "MappingAvailable")]
    public static partial void MappingAvailable(ILogger logger, int deviceCount);
}
