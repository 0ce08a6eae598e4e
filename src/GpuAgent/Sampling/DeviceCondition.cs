namespace AiSidecar.GpuAgent.Sampling;

/// <summary>How the last sample of a device went; transitions are logged once.</summary>
internal enum DeviceCondition
{
    Readable,
    Lost,
    Hung,
    Failing,
}
