namespace AiSidecar.GpuAgent.Sampling;

/// <summary>A GPU's fixed identity, read once and cached.</summary>
internal sealed record DeviceIdentity(string Uuid, string Name, string PciBusId);
