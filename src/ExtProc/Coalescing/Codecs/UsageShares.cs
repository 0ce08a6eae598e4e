using System.Text.Json;

namespace AiSidecar.ExtProc.Coalescing.Codecs;

/// <summary>
/// Splits the engine's <c>usage</c> object among the members: every non-negative integer in it is apportioned by
/// largest remainder, so the members' shares always sum to the engine's figure. Completion counts (and anything under
/// <c>completion_tokens_details</c>) follow the completion weights, everything else the prompt weights; a top-level
/// <c>total_tokens</c> that equals prompt plus completion tokens stays their sum per member. Other values are copied.
/// </summary>
internal sealed class UsageShares
{
    private readonly JsonElement _usage;

    /// <summary>One array of shares (one per member) per apportioned integer, in the usage object's document order.</summary>
    private readonly List<long[]> _shares = [];

    public UsageShares(JsonElement usage, long[] promptWeights, long[]? completionWeights)
    {
        _usage = usage;
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        completionWeights ??= promptWeights;
        var prompt = TopLevel(usage, "prompt_tokens", promptWeights, out var promptTotal);
        var completion = TopLevel(usage, "completion_tokens", completionWeights, out var completionTotal);
        long[]? sum = null;
        if ((prompt is not null || completion is not null) && Integer(usage, "total_tokens") == promptTotal + completionTotal)
        {
            sum = new long[promptWeights.Length];
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] = (prompt?[i] ?? 0) + (completion?[i] ?? 0);
            }
        }

        foreach (var property in usage.EnumerateObject())
        {
            var shares = property.NameEquals("prompt_tokens"u8) ? prompt
                : property.NameEquals("completion_tokens"u8) ? completion
                : property.NameEquals("total_tokens"u8) ? sum
                : null;
            Collect(property, shares, property.NameEquals("completion_tokens_details"u8) ? completionWeights : promptWeights);
        }
    }

    /// <summary>
    /// Splits <paramref name="total"/> in proportion to <paramref name="weights"/> (all equal when they sum to zero):
    /// each gets the floor of its exact share, and the units left over go to the largest fractional parts, ties to
    /// the lower index. The shares sum to the total, and equal the weights when the weights sum to the total.
    /// </summary>
    public static long[] LargestRemainder(long total, ReadOnlySpan<long> weights)
    {
        var shares = new long[weights.Length];
        if (weights.IsEmpty)
        {
            return shares;
        }

        Int128 sum = 0;
        foreach (var weight in weights)
        {
            sum += Math.Max(weight, 0);
        }

        var remainders = new Int128[weights.Length];
        var left = total;
        for (var i = 0; i < weights.Length; i++)
        {
            var weight = sum == 0 ? 1 : Math.Max(weights[i], 0);
            var exact = (Int128)total * weight;
            var divisor = sum == 0 ? weights.Length : sum;
            shares[i] = (long)(exact / divisor);
            remainders[i] = exact % divisor;
            left -= shares[i];
        }

        if (left > 0)
        {
            var order = new int[weights.Length];
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            Array.Sort(order, (a, b) => remainders[a] != remainders[b] ? remainders[b].CompareTo(remainders[a]) : a.CompareTo(b));
            for (var i = 0; i < left; i++)
            {
                shares[order[i]]++;
            }
        }

        return shares;
    }

    /// <summary>The prompt weights: the members' exact prompt tokens, or their item counts when no count is known.</summary>
    public static long[] PromptWeights(IReadOnlyList<CoalesceMember> members)
    {
        var weights = new long[members.Count];
        var known = false;
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = members[i].Tokens;
            known |= weights[i] > 0;
        }

        if (!known)
        {
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] = members[i].Items;
            }
        }

        return weights;
    }

    /// <summary>Writes member <paramref name="member"/>'s usage value (its shares; the rest as the engine wrote it).</summary>
    public void Write(Utf8JsonWriter writer, int member)
    {
        var next = 0;
        Write(writer, _usage, member, ref next);
    }

    private void Write(Utf8JsonWriter writer, JsonElement value, int member, ref int next)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            writer.WriteStartObject();
            foreach (var property in value.EnumerateObject())
            {
                AnswerJson.WriteName(writer, property);
                Write(writer, property.Value, member, ref next);
            }

            writer.WriteEndObject();
        }
        else if (IsCount(value, out _))
        {
            writer.WriteNumberValue(_shares[next++][member]);
        }
        else
        {
            AnswerJson.WriteRaw(writer, value);
        }
    }

    private void Collect(JsonProperty property, long[]? shares, long[] weights)
    {
        var value = property.Value;
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var inner in value.EnumerateObject())
            {
                Collect(inner, null, weights);
            }
        }
        else if (IsCount(value, out var total))
        {
            _shares.Add(shares ?? LargestRemainder(total, weights));
        }
    }

    private static long[]? TopLevel(JsonElement usage, string name, long[] weights, out long total)
    {
        var value = Integer(usage, name);
        total = value ?? 0;
        return value is { } count ? LargestRemainder(count, weights) : null;
    }

    private static long? Integer(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && IsCount(value, out var count) ? count : null;

    private static bool IsCount(JsonElement value, out long count)
    {
        count = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out count) && count >= 0;
    }
}
