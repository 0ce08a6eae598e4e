namespace AiSidecar.GpuAgent.Sampling;

/// <summary>XIDs seen on one GPU since the agent started.</summary>
internal sealed record XidState(ulong LastXid, uint Count, DateTimeOffset LastAt, DateTimeOffset? LastCriticalAt);
