namespace AiSidecar.ExtProc.Coalescing.Codecs;

/// <summary>
/// One request read by a codec, waiting to share an upstream call: immutable except <see cref="Tokens"/>. The
/// codec-private part (the body, its fields and inputs as byte ranges, <c>top_n</c>, <c>n</c>) is optional so that
/// batching tests can build members without a body.
/// </summary>
internal sealed class CoalesceMember
{
    /// <summary>
    /// Canonical text of every field that decides the output, inputs and per-request fields excluded: the input field
    /// and kind, then the other fields sorted by name with their raw JSON values. Same key ⇒ may share a batch.
    /// </summary>
    public required string Key { get; init; }

    /// <summary>Inputs (embeddings), documents (rerank) or prompts (completions).</summary>
    public required int Items { get; init; }

    /// <summary>Bytes the member holds while it waits: its whole body, which the merge copies from (≥ its inputs' bytes).</summary>
    public required int Bytes { get; init; }

    /// <summary>Set by the stage: the member's exact prompt tokens, its weight when the engine's usage is apportioned.</summary>
    public long Tokens { get; set; }

    /// <summary>The request body (without a byte order mark) that the ranges below point into.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The top-level fields sent upstream, in body order, including the input field; per-request fields dropped.</summary>
    public IReadOnlyList<BodyField> Fields { get; init; } = [];

    /// <summary>The name of the field holding the inputs (<c>input</c>, <c>prompt</c>, <c>documents</c>, <c>texts</c>).</summary>
    public string InputField { get; init; } = "";

    /// <summary>Each input's raw JSON in <see cref="Body"/>, in order (<see cref="Items"/> of them).</summary>
    public IReadOnlyList<Range> Inputs { get; init; } = [];

    /// <summary>Rerank: how many results the member wants; 0 for all.</summary>
    public int TopN { get; init; }

    /// <summary>Completions: choices per prompt (<c>n</c>).</summary>
    public int Choices { get; init; } = 1;
}
