using System.Diagnostics.CodeAnalysis;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Coalescing.Codecs;

/// <summary>
/// <c>/v1/embeddings</c> (vLLM, TEI): <c>input</c> is a string, strings, one token-id array or token-id arrays. The
/// key is every other field but <c>user</c>, plus the input kind (an array cannot mix strings and token arrays).
/// The answer's <c>data</c> is split by <c>index</c>, each member's slice renumbered from 0, embeddings (floats or
/// base64) copied as written, <c>usage</c> apportioned by the members' prompt tokens.
/// </summary>
internal sealed class EmbeddingsCodec : ICoalesceCodec
{
    private static readonly string[] PerRequest = ["user"];

    public ApiKind Api => ApiKind.Embeddings;

    public bool TryRead(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out CoalesceMember? member, [NotNullWhen(false)] out string? reason)
    {
        member = null;
        body = RequestBody.WithoutBom(body);
        if (!RequestBody.TryReadFields(body.Span, out var fields, out reason))
        {
            return false;
        }

        // vLLM's "bytes" encodings answer in binary, not JSON.
        var format = RequestBody.Value(body.Span, fields, "encoding_format");
        if (!RequestBody.IsAbsent(format) && !format.SequenceEqual("\"float\""u8) && !format.SequenceEqual("\"base64\""u8))
        {
            reason = CoalesceReasons.EncodingFormat;
            return false;
        }

        var inputs = new List<Range>();
        if (!RequestBody.TryReadPrompts(body.Span, fields, "input", inputs, out var kind, out reason))
        {
            return false;
        }

        member = RequestBody.Member(body, fields, "input", kind, inputs, PerRequest);
        return true;
    }

    public byte[] Merge(IReadOnlyList<CoalesceMember> members) => RequestBody.Merge(members);

    public CoalesceSplit Split(ReadOnlyMemory<byte> response, IReadOnlyList<CoalesceMember> members, Func<string, int>? completionTokens) =>
        AnswerJson.Split(response, root =>
        {
            if (AnswerJson.List(root, "data"u8) is not { } data)
            {
                return CoalesceSplit.Fail("the upstream answer has no data array");
            }

            var offsets = AnswerJson.Offsets(members);
            if (AnswerJson.ByIndex(data, offsets[^1], out var byIndex, out _) is { } error)
            {
                return CoalesceSplit.Fail(error);
            }

            var usage = root.TryGetProperty("usage"u8, out var engineUsage) ? new UsageShares(engineUsage, UsageShares.PromptWeights(members), null) : null;
            var bodies = new byte[members.Count][];
            using var answers = new AnswerWriter(response, members.Count);
            for (var k = 0; k < bodies.Length; k++)
            {
                var (start, count) = (offsets[k], members[k].Items);
                bodies[k] = answers.Member(root, k, "data"u8, usage, writer => AnswerJson.WriteSlice(writer, byIndex, start, count));
            }

            return CoalesceSplit.Ok(bodies);
        });
}
