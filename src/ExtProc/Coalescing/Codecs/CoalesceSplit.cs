namespace AiSidecar.ExtProc.Coalescing.Codecs;

/// <summary>
/// An upstream answer split per member: <see cref="Bodies"/> holds each member's own 200 JSON body in member order,
/// or <see cref="Error"/> says why the answer does not fit the members (never quoting the answer).
/// </summary>
internal sealed record CoalesceSplit(IReadOnlyList<byte[]>? Bodies, string? Error)
{
    public static CoalesceSplit Ok(IReadOnlyList<byte[]> bodies) => new(bodies, null);

    public static CoalesceSplit Fail(string error) => new(null, error);
}
