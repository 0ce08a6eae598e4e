using System.Globalization;

namespace AiSidecar.EngineSimulator.Api;

/// <summary>What an endpoint needs besides the body: the options, the request's number and its time.</summary>
internal sealed record RequestContext(SimulatorOptions Options, long Number, long Created)
{
    /// <summary>The answer's <c>id</c>: the prefix vLLM uses and the request's number.</summary>
    public string Id(string prefix) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{Number:x16}");

    /// <summary>
    /// Refuses a request over TEI's limits with 413: more inputs than <c>MaxClientBatch</c>, or an input with more
    /// tokens than fit one GPU batch.
    /// </summary>
    public void CheckLimits(IReadOnlyList<int> inputTokens)
    {
        if (inputTokens.Count > Options.MaxClientBatch)
        {
            throw new SimulatorException(413, string.Create(CultureInfo.InvariantCulture,
                $"batch size {inputTokens.Count} > maximum allowed batch size {Options.MaxClientBatch}"));
        }

        var largest = inputTokens.Max();
        if (largest > Options.MaxBatchTokens)
        {
            throw new SimulatorException(413, string.Create(CultureInfo.InvariantCulture,
                $"an input of {largest} tokens exceeds the batch token limit of {Options.MaxBatchTokens}"));
        }
    }
}
