namespace AiSidecar.ExtProc.Admission.Gpu;

/// <summary>GPU agent watch log messages: one per agent state transition, never one per update.</summary>
internal static partial class GpuAgentLog
{
    [LoggerMessage(EventId = 1, EventName = "GpuAgentConnected", Level = LogLevel.Information, Message = "GPU agent {Address} (node {Node}) connected: its Watch stream is delivering.")]
    public static partial void Connected(ILogger logger, string address, string node);

    [LoggerMessage(EventId = 2, EventName = "GpuAgentLost", Level = LogLevel.Warning, Message = "GPU agent {Address} lost ({Reason}); its GPUs keep their last state, reconnecting with backoff.")]
    public static partial void Lost(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 3, EventName = "GpuAgentUnreachable", Level = LogLevel.Warning, Message = "GPU agent {Address} unreachable ({Reason}); retrying with backoff.")]
    public static partial void Unreachable(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 4, EventName = "GpuAgentAdded", Level = LogLevel.Information, Message = "Watching GPU agent {Address}.")]
    public static partial void Added(ILogger logger, string address);

    [LoggerMessage(EventId = 5, EventName = "GpuAgentDropped", Level = LogLevel.Information, Message = "GPU agent {Address} is no longer listed; its GPUs are dropped.")]
    public static partial void Dropped(ILogger logger, string address);

    [LoggerMessage(EventId = 6, EventName = "GpuAgentServiceUnresolved", Level = LogLevel.Warning, Message = "GPU agent service {Service} did not resolve ({Reason}); keeping the {Count} agents it last had.")]
    public static partial void ServiceUnresolved(ILogger logger, ServiceAddress service, string reason, int count);

    [LoggerMessage(EventId = 7, EventName = "GpuAgentServiceResolved", Level = LogLevel.Information, Message = "GPU agent service {Service} resolves again ({Count} agents).")]
    public static partial void ServiceResolved(ILogger logger, ServiceAddress service, int count);
}
