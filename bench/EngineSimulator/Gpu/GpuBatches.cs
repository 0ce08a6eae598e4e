namespace AiSidecar.EngineSimulator.Gpu;

/// <summary>Splits one request's inputs into GPU batches within the batch limits (serial mode).</summary>
internal static class GpuBatches
{
    /// <summary>
    /// Consecutive runs of <paramref name="tokens"/>, each at most <paramref name="maxItems"/> inputs and
    /// <paramref name="maxTokens"/> tokens (an input above the token limit alone still makes a batch).
    /// </summary>
    public static IEnumerable<(int Count, int Tokens)> Split(IReadOnlyList<int> tokens, int maxItems, int maxTokens)
    {
        var count = 0;
        var sum = 0;
        foreach (var t in tokens)
        {
            if (count > 0 && (count == maxItems || sum + t > maxTokens))
            {
                yield return (count, sum);
                count = 0;
                sum = 0;
            }

            count++;
            sum += t;
        }

        if (count > 0)
        {
            yield return (count, sum);
        }
    }
}
