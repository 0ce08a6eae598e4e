using System.Diagnostics.CodeAnalysis;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Coalescing.Codecs;

/// <summary>One API's way to batch requests: what makes requests compatible, how they merge, how the answer splits.</summary>
internal interface ICoalesceCodec
{
    /// <summary>The API this codec batches.</summary>
    ApiKind Api { get; }

    /// <summary>
    /// Reads one request body (the upstream body, model already the served name). False with a short reason (a metric
    /// label from <see cref="CoalesceReasons"/>) when the request cannot be coalesced.
    /// </summary>
    bool TryRead(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out CoalesceMember? member, [NotNullWhen(false)] out string? reason);

    /// <summary>The one upstream body for these members (all with the same <see cref="CoalesceMember.Key"/>), inputs in member order.</summary>
    byte[] Merge(IReadOnlyList<CoalesceMember> members);

    /// <summary>
    /// Each member's own answer body, in member order, from the upstream's 2xx answer to <see cref="Merge"/>'s body;
    /// or an error message when the answer does not fit the members (wrong count of results, not JSON, …): then every
    /// member gets an error. <paramref name="completionTokens"/> counts a completion text's tokens (the model's
    /// tokenizer) to apportion completion usage; when null, completion usage is apportioned by choice count.
    /// </summary>
    CoalesceSplit Split(ReadOnlyMemory<byte> response, IReadOnlyList<CoalesceMember> members, Func<string, int>? completionTokens);
}
