namespace AiSidecar.EngineSimulator;

/// <summary>
/// What the simulated engine's work costs: a fixed cost per request (HTTP and tokenization, on the CPU), a fixed cost
/// per GPU batch plus a cost per item for pooling models (embeddings, rerank), and a cost per decode step plus a
/// cost per sequence and step for generation (completions). docs/coalescing.md explains the numbers.
/// </summary>
public sealed record CostModel
{
    /// <summary>
    /// TEI serving a small embedding model on an L4: 265 texts/s at batch 1 and 903 texts/s at batch 8 from one
    /// client give a request of b inputs 3.047 ms + 0.727 ms × b, split here into 1 ms of request cost and a 2.047 ms
    /// batch cost. Generation: 5 ms per decode step plus 3 ms per sequence and step (16 sequences give 2.4× the tokens
    /// per second of one).
    /// </summary>
    public static CostModel TeiL4 { get; } = new()
    {
        RequestCost = TimeSpan.FromMicroseconds(1000),
        BatchCost = TimeSpan.FromMicroseconds(2047),
        ItemCost = TimeSpan.FromMicroseconds(727),
        DecodeStepCost = TimeSpan.FromMicroseconds(5000),
        DecodeSequenceCost = TimeSpan.FromMicroseconds(3000),
    };

    /// <summary>Everything free: answers come at once (format tests).</summary>
    public static CostModel Free { get; } = new();

    /// <summary>The fixed cost of each request (HTTP and tokenization, on the CPU).</summary>
    public TimeSpan RequestCost { get; init; }

    /// <summary>The fixed cost of each GPU batch of pooling inputs.</summary>
    public TimeSpan BatchCost { get; init; }

    /// <summary>The cost of each pooling input in a GPU batch.</summary>
    public TimeSpan ItemCost { get; init; }

    /// <summary>The fixed cost of each decode step of a batch of sequences.</summary>
    public TimeSpan DecodeStepCost { get; init; }

    /// <summary>The cost of each sequence in a decode step.</summary>
    public TimeSpan DecodeSequenceCost { get; init; }

    /// <summary>The profile named on the command line: <c>tei-l4</c> or <c>free</c>.</summary>
    public static CostModel FromProfile(string name) => name switch
    {
        "tei-l4" => TeiL4,
        "free" => Free,
        _ => throw new ArgumentException($"Unknown profile '{name}': expected tei-l4 or free.", nameof(name)),
    };

    /// <summary>
    /// The GPU time of one pass over <paramref name="poolingItems"/> pooling inputs and <paramref name="sequences"/>
    /// decoding sequences (a kind absent from the pass costs nothing).
    /// </summary>
    public TimeSpan Pass(int poolingItems, int sequences) =>
        (poolingItems > 0 ? BatchCost + (ItemCost * poolingItems) : TimeSpan.Zero) +
        (sequences > 0 ? DecodeStepCost + (DecodeSequenceCost * sequences) : TimeSpan.Zero);

    /// <summary>
    /// Pooling inputs per second at batches of <paramref name="batch"/>, with the request cost on the critical path
    /// (serial: one request at a time) or without it (batching: requests pay it in parallel).
    /// </summary>
    public double ItemsPerSecond(int batch, bool withRequestCost)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var time = Pass(batch, 0) + (withRequestCost ? RequestCost : TimeSpan.Zero);
        return time > TimeSpan.Zero ? batch / time.TotalSeconds : double.PositiveInfinity;
    }
}
