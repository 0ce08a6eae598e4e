namespace AiSidecar.GpuAgent.Sampling;

/// <summary>XIDs seen on one GPU (or one of its MIG instances) since the agent started.</summary>
internal sealed record XidState(ulong LastXid, uint Count, DateTimeOffset LastAt, DateTimeOffset? LastCriticalAt, ulong LastCriticalXid);
