using System.Net;

namespace AiSidecar.EngineSimulator;

/// <summary>How an <see cref="EngineSimulator"/> behaves; every value has a default.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The address to listen on (default loopback).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port to listen on (default 0: a free port, read back from <see cref="EngineSimulator.BaseAddress"/>).</summary>
    public int Port { get; init; }

    /// <summary>Serial (one request at a time) or batching inside (default).</summary>
    public SimulatorMode Mode { get; init; } = SimulatorMode.Batching;

    /// <summary>What work costs (default <see cref="CostModel.TeiL4"/>; tests of formats use <see cref="CostModel.Free"/>).</summary>
    public CostModel CostModel { get; init; } = CostModel.TeiL4;

    /// <summary>The model name answered when a request names none (any name a request gives is echoed back).</summary>
    public string Model { get; init; } = "simulated-model";

    /// <summary>The embedding model's dimension (default 384); <c>dimensions</c> may ask for fewer, never more.</summary>
    public int Dimensions { get; init; } = 384;

    /// <summary>
    /// Counts a text's tokens (default <see cref="CountWords"/>); tests pass the server's own tokenizer so that usage
    /// agrees with its counts. Token-id inputs count their ids.
    /// </summary>
    public Func<string, int> CountTokens { get; init; } = CountWords;

    /// <summary>Special tokens the engine adds to each text input or rerank pair (default 0).</summary>
    public int SpecialTokens { get; init; }

    /// <summary>The most inputs (documents, prompts) one request may carry (TEI's default: 32); more answer 413.</summary>
    public int MaxClientBatch { get; init; } = 32;

    /// <summary>The most tokens in one GPU batch (TEI's default: 16,384); an input above it alone answers 413.</summary>
    public int MaxBatchTokens { get; init; } = 16_384;

    /// <summary>The most inputs or sequences in one GPU batch (default 256, vLLM's default <c>max_num_seqs</c>).</summary>
    public int MaxBatchItems { get; init; } = 256;

    /// <summary>When set, requests must carry <c>Authorization: Bearer</c> with this key, else 401 (vLLM's <c>--api-key</c>).</summary>
    public string? ApiKey { get; init; }

    /// <summary>The clock of the cost model and of <c>created</c> (default the system's; tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The default token count: runs of non-whitespace characters (" the cat" is 2 tokens, "" is 0).</summary>
    public static int CountWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var space = char.IsWhiteSpace(c);
            if (!space && !inWord)
            {
                words++;
            }

            inWord = !space;
        }

        return words;
    }

    /// <summary>Throws when a value is out of range.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Address);
        ArgumentNullException.ThrowIfNull(CostModel);
        ArgumentNullException.ThrowIfNull(CountTokens);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentException.ThrowIfNullOrEmpty(Model);
        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Expected Serial or Batching.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(Port);
        ArgumentOutOfRangeException.ThrowIfLessThan(Dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(SpecialTokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxClientBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchTokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchItems, 1);
        foreach (var cost in new[] { CostModel.RequestCost, CostModel.BatchCost, CostModel.ItemCost, CostModel.DecodeStepCost, CostModel.DecodeSequenceCost })
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(cost, TimeSpan.Zero, nameof(CostModel));
        }
    }
}
