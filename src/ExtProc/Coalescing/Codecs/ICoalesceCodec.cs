using System.Diagnostics.CodeAnalysis;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Coalescing.Codecs;

/// <summary>One API's way to batch requests: what makes requests compatible, how they merge, how the answer splits.</summary>
internal interface ICoalesceCodec
{
    ApiKind Api { get; }

    bool TryRead(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out CoalesceMember? member, [NotNullWhen(false)] out string? reason);

    byte[] Merge(IReadOnlyList<CoalesceMember> members);

    CoalesceSplit Split(ReadOnlyMemory<byte> response, IReadOnlyList<CoalesceMember> members, Func<string, int>? completionTokens);
}

/// <summary>A request as a batch member.</summary>
internal sealed class CoalesceMember
{
    public required string Key { get; init; }

    public required int Items { get; init; }

    public required int Bytes { get; init; }

    public long Tokens { get; set; }
}

/// <summary>The members' answers, or why the upstream's answer does not fit them.</summary>
internal sealed record CoalesceSplit(IReadOnlyList<byte[]>? Bodies, string? Error);
