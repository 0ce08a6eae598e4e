namespace AiSidecar.EngineSimulator.Gpu;

/// <summary>
/// One GPU pass on the virtual clock (time since the simulator started): a batch of pooling inputs or a decode step.
/// </summary>
/// <param name="Start">When the pass began.</param>
/// <param name="End">When it ended (start + its cost).</param>
/// <param name="Sequences">Inputs or sequences in the pass.</param>
/// <param name="NewItems">Inputs or sequences that entered the GPU with this pass.</param>
/// <param name="NewTokens">Their prompt tokens.</param>
internal sealed record GpuPass(TimeSpan Start, TimeSpan End, int Sequences, int NewItems, int NewTokens);
