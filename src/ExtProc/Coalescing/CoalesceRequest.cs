using AiSidecar.ExtProc.Coalescing.Codecs;
using AiSidecar.ExtProc.Errors;

namespace AiSidecar.ExtProc.Coalescing;

/// <summary>One request offered to a batch: where its batch goes, what it holds, how long it may take.</summary>
/// <param name="Pool">The pool (its in-flight limit and its queue of batches).</param>
/// <param name="Upstream">The pool's upstream, as the request's routing table has it.</param>
/// <param name="Path">The API path the batch is sent to (<c>/v1/embeddings</c>, <c>/rerank</c>…).</param>
/// <param name="Lane">Requests with the same lane may share a batch: the path, the codec's key and the tenant.</param>
/// <param name="Codec">Merges the members and splits the answer.</param>
/// <param name="Member">The request as a member.</param>
/// <param name="MaxWait">The model's window ceiling.</param>
/// <param name="Remaining">Time the request has left to be answered.</param>
/// <param name="CompletionTokens">Counts a completion's tokens for usage (the model's tokenizer).</param>
internal sealed record CoalesceRequest(
    string Pool,
    PoolUpstreamOptions Upstream,
    string Path,
    string Lane,
    ICoalesceCodec Codec,
    CoalesceMember Member,
    TimeSpan MaxWait,
    TimeSpan Remaining,
    Func<string, int>? CompletionTokens);

/// <summary>What became of a request offered to a batch.</summary>
internal enum CoalesceOutcome
{
    /// <summary>Answered from a batch: <see cref="CoalesceResult.Body"/> is its own answer.</summary>
    Answered,

    /// <summary>The batch failed: <see cref="CoalesceResult.Error"/> is its own error.</summary>
    Failed,

    /// <summary>Not coalesced (or no longer): Envoy sends it upstream as usual. <see cref="CoalesceResult.Reason"/> says why.</summary>
    PassThrough,
}

/// <summary>The result of <see cref="Coalescer.JoinAsync"/>.</summary>
internal readonly record struct CoalesceResult(CoalesceOutcome Outcome, byte[]? Body, int BatchSize, ApiError? Error, string? Reason)
{
    public static CoalesceResult Answered(byte[] body, int batchSize) => new(CoalesceOutcome.Answered, body, batchSize, null, null);

    public static CoalesceResult Failed(ApiError error, string reason) => new(CoalesceOutcome.Failed, null, 0, error, reason);

    public static CoalesceResult PassThrough(string reason) => new(CoalesceOutcome.PassThrough, null, 0, null, reason);
}
