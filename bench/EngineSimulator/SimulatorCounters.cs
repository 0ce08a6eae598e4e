namespace AiSidecar.EngineSimulator;

/// <summary>What the simulator has done since it started (a snapshot).</summary>
/// <param name="Requests">HTTP requests received on the model endpoints, answered or not.</param>
/// <param name="Errors">Requests answered with an error status (invalid, over a limit, unauthorized, or injected).</param>
/// <param name="GpuBatches">GPU passes: one per batch of pooling inputs, one per decode step.</param>
/// <param name="Items">Inputs the GPU took: embedding inputs, rerank documents, completion sequences (prompts × n).</param>
/// <param name="Tokens">Prompt tokens of those inputs (rerank: query and document of each pair).</param>
/// <param name="BusyTime">GPU time of every pass (the request costs excluded).</param>
/// <param name="LargestBatch">The most inputs or sequences in one GPU pass.</param>
public sealed record SimulatorCounters(long Requests, long Errors, long GpuBatches, long Items, long Tokens, TimeSpan BusyTime, int LargestBatch);
