using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Coalescing.Codecs;

/// <summary>
/// Rerank (<c>/rerank</c>, <c>/v1/rerank</c>): the vLLM/Jina/Cohere shape (<c>query</c>, <c>documents</c> as strings
/// or objects, <c>top_n</c>, <c>return_documents</c>, answer <c>{"results": […], "usage": …}</c>) and TEI's native
/// one (<c>query</c>, <c>texts</c>, answer a bare array with <c>score</c>). The key is every field but the documents,
/// <c>top_n</c> and <c>user</c> (so <c>query</c> is in it); the merged body asks for every result. Each member gets
/// the results of its own documents, renumbered, in the engine's order by descending score (a stable sort, so ties
/// keep the engine's tie order), cut to its <c>top_n</c>; <c>usage</c> apportioned by its prompt tokens.
/// </summary>
internal sealed class RerankCodec : ICoalesceCodec
{
    private const string Documents = "documents";
    private const string TeiTexts = "texts";
    private static readonly string[] PerRequest = ["user", "top_n"];

    public ApiKind Api => ApiKind.Rerank;

    public bool TryRead(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out CoalesceMember? member, [NotNullWhen(false)] out string? reason)
    {
        member = null;
        body = RequestBody.WithoutBom(body);
        if (!RequestBody.TryReadFields(body.Span, out var fields, out reason))
        {
            return false;
        }

        var span = body.Span;
        var hasDocuments = !RequestBody.Value(span, fields, Documents).IsEmpty;
        var name = hasDocuments ? Documents : TeiTexts;
        if (hasDocuments && !RequestBody.Value(span, fields, TeiTexts).IsEmpty)
        {
            reason = CoalesceReasons.InputShape;
            return false;
        }

        // vLLM: top_n ≤ 0 means every result.
        var topN = RequestBody.Value(span, fields, "top_n");
        long wanted = 0;
        if (!RequestBody.IsAbsent(topN) && !RequestBody.TryInteger(topN, out wanted))
        {
            reason = CoalesceReasons.TopN;
            return false;
        }

        var inputs = new List<Range>();
        if (!RequestBody.TryReadDocuments(span, fields, name, inputs, out var kind, out reason))
        {
            return false;
        }

        if (!hasDocuments && kind != RequestBody.Text)
        {
            reason = CoalesceReasons.InputShape;
            return false;
        }

        member = RequestBody.Member(body, fields, name, kind, inputs, PerRequest, topN: (int)Math.Clamp(wanted, 0, int.MaxValue));
        return true;
    }

    public byte[] Merge(IReadOnlyList<CoalesceMember> members) => RequestBody.Merge(members);

    public CoalesceSplit Split(ReadOnlyMemory<byte> response, IReadOnlyList<CoalesceMember> members, Func<string, int>? completionTokens) =>
        AnswerJson.Split(response, root =>
        {
            var tei = members[0].InputField == TeiTexts;
            var list = tei ? (root.ValueKind == JsonValueKind.Array ? root : null) : AnswerJson.List(root, "results"u8);
            if (list is not { } results)
            {
                return CoalesceSplit.Fail(tei ? "the upstream answer is not an array" : "the upstream answer has no results array");
            }

            var offsets = AnswerJson.Offsets(members);
            if (AnswerJson.ByIndex(results, offsets[^1], out var byIndex, out var positions) is { } error)
            {
                return CoalesceSplit.Fail(error);
            }

            var scoreName = tei ? "score"u8 : "relevance_score"u8;
            var scores = new double[byIndex.Length];
            for (var i = 0; i < scores.Length; i++)
            {
                if (!byIndex[i].TryGetProperty(scoreName, out var score) || score.ValueKind != JsonValueKind.Number)
                {
                    return CoalesceSplit.Fail("a result in the upstream answer has no score");
                }

                scores[i] = score.GetDouble();
            }

            var usage = !tei && root.TryGetProperty("usage"u8, out var engineUsage) ? new UsageShares(engineUsage, UsageShares.PromptWeights(members), null) : null;
            var bodies = new byte[members.Count][];
            using var answers = new AnswerWriter(response, members.Count);
            for (var k = 0; k < bodies.Length; k++)
            {
                var order = Ranked(offsets[k], members[k].Items, scores, positions);
                var take = members[k].TopN is > 0 and var topN && topN < order.Length ? topN : order.Length;
                var start = offsets[k];
                void WriteResults(Utf8JsonWriter writer)
                {
                    writer.WriteStartArray();
                    for (var i = 0; i < take; i++)
                    {
                        AnswerJson.WriteRenumbered(writer, byIndex[start + order[i]], order[i]);
                    }

                    writer.WriteEndArray();
                }

                bodies[k] = tei ? answers.Array(WriteResults) : answers.Member(root, k, "results"u8, usage, WriteResults);
            }

            return CoalesceSplit.Ok(bodies);
        });

    /// <summary>A member's own document indices by descending score, ties in the engine's order.</summary>
    private static int[] Ranked(int start, int count, double[] scores, int[] positions)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            var byScore = scores[start + b].CompareTo(scores[start + a]);
            return byScore != 0 ? byScore : positions[start + a].CompareTo(positions[start + b]);
        });
        return order;
    }
}
