namespace AiSidecar.EngineSimulator.Gpu;

/// <summary>
/// One request's GPU work: its inputs (embedding inputs, rerank pairs: one pass each) or its sequences (completion
/// prompts × n: <paramref name="Steps"/> decode steps each), with each one's prompt tokens.
/// </summary>
internal sealed record GpuWork(bool Decode, IReadOnlyList<int> Tokens, int Steps)
{
    /// <summary>Pooling inputs: one pass each.</summary>
    public static GpuWork Pooling(IReadOnlyList<int> tokens) => new(false, tokens, 1);

    /// <summary>Generated sequences: <paramref name="steps"/> decode steps each.</summary>
    public static GpuWork Generation(IReadOnlyList<int> tokens, int steps) => new(true, tokens, steps);
}
