using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Coalescing.Codecs;

/// <summary>
/// <c>/v1/completions</c>, non-streaming: <c>prompt</c> is a string, strings, one token-id array or token-id arrays.
/// The key is every other field but <c>user</c> (<c>n</c>, sampling, <c>seed</c>, <c>max_tokens</c>, <c>echo</c>,
/// <c>logprobs</c>, <c>stop</c>, …), plus the prompt kind. Streaming, <c>best_of</c> above <c>n</c>, beam search and
/// <c>prompt_embeds</c> are refused. vLLM numbers choices <c>prompt * n + j</c>; each member gets its prompts' choices
/// renumbered from 0, prompt tokens apportioned by its prompt tokens and completion tokens by its choices' tokens.
/// </summary>
internal sealed class CompletionsCodec : ICoalesceCodec
{
    private static readonly string[] PerRequest = ["user"];

    public ApiKind Api => ApiKind.Completions;

    public bool TryRead(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out CoalesceMember? member, [NotNullWhen(false)] out string? reason)
    {
        member = null;
        body = RequestBody.WithoutBom(body);
        if (!RequestBody.TryReadFields(body.Span, out var fields, out reason))
        {
            return false;
        }

        var span = body.Span;
        reason = RequestBody.Value(span, fields, "stream").SequenceEqual("true"u8) ? CoalesceReasons.Stream
            : RequestBody.Value(span, fields, "use_beam_search").SequenceEqual("true"u8) ? CoalesceReasons.BeamSearch
            : !RequestBody.IsAbsent(RequestBody.Value(span, fields, "prompt_embeds")) ? CoalesceReasons.PromptEmbeds
            : null;
        if (reason is not null)
        {
            return false;
        }

        var n = RequestBody.Value(span, fields, "n");
        long choices = 1;
        if (!RequestBody.IsAbsent(n) && (!RequestBody.TryInteger(n, out choices) || choices is < 1 or > int.MaxValue))
        {
            reason = CoalesceReasons.N;
            return false;
        }

        // best_of > n: the engine samples hidden candidates and keeps the n best.
        var bestOf = RequestBody.Value(span, fields, "best_of");
        if (!RequestBody.IsAbsent(bestOf) && (!RequestBody.TryInteger(bestOf, out var best) || best > choices))
        {
            reason = CoalesceReasons.BestOf;
            return false;
        }

        var inputs = new List<Range>();
        if (!RequestBody.TryReadPrompts(span, fields, "prompt", inputs, out var kind, out reason))
        {
            return false;
        }

        member = RequestBody.Member(body, fields, "prompt", kind, inputs, PerRequest, choices: (int)choices);
        return true;
    }

    public byte[] Merge(IReadOnlyList<CoalesceMember> members) => RequestBody.Merge(members);

    public CoalesceSplit Split(ReadOnlyMemory<byte> response, IReadOnlyList<CoalesceMember> members, Func<string, int>? completionTokens) =>
        AnswerJson.Split(response, root =>
        {
            if (AnswerJson.List(root, "choices"u8) is not { } list)
            {
                return CoalesceSplit.Fail("the upstream answer has no choices array");
            }

            var n = members[0].Choices;
            var offsets = AnswerJson.Offsets(members);
            var expected = (long)offsets[^1] * n;
            if (expected > Array.MaxLength)
            {
                return CoalesceSplit.Fail("the batch asks for more choices than an answer can hold");
            }

            if (AnswerJson.ByIndex(list, (int)expected, out var byIndex, out _) is { } error)
            {
                return CoalesceSplit.Fail(error);
            }

            var completionWeights = new long[members.Count];
            for (var k = 0; k < members.Count; k++)
            {
                for (var i = offsets[k] * n; i < offsets[k + 1] * n; i++)
                {
                    completionWeights[k] += completionTokens is null ? 1
                        : byIndex[i].TryGetProperty("text"u8, out var text) && text.ValueKind == JsonValueKind.String ? completionTokens(text.GetString()!)
                        : 0;
                }
            }

            var usage = root.TryGetProperty("usage"u8, out var engineUsage) ? new UsageShares(engineUsage, UsageShares.PromptWeights(members), completionWeights) : null;
            var bodies = new byte[members.Count][];
            using var answers = new AnswerWriter(response, members.Count);
            for (var k = 0; k < bodies.Length; k++)
            {
                var (start, count) = (offsets[k] * n, members[k].Items * n);
                bodies[k] = answers.Member(root, k, "choices"u8, usage, writer => AnswerJson.WriteSlice(writer, byIndex, start, count));
            }

            return CoalesceSplit.Ok(bodies);
        });
}
