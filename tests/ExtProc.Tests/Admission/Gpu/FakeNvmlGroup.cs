namespace AiSidecar.ExtProc.Tests.Admission.Gpu;

/// <summary>Tests that run the GPU agent on the fake NVML library, whose GPUs are process-wide state: one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FakeNvmlGroup
{
    public const string Name = "Fake NVML";
}
