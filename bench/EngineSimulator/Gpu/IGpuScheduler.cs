namespace AiSidecar.EngineSimulator.Gpu;

/// <summary>Runs requests' GPU work on the virtual clock, as one of the <see cref="SimulatorMode"/>s does.</summary>
internal interface IGpuScheduler : IAsyncDisposable
{
    /// <summary>Completes when the request's work is done: its request cost paid and every input or sequence finished.</summary>
    Task RunAsync(GpuWork work);
}
