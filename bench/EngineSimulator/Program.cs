using System.Globalization;
using System.Net;

namespace AiSidecar.EngineSimulator;

/// <summary>
/// Runs the simulator on its own:
/// <c>dotnet run --project bench/EngineSimulator -- --port 8080 --mode serial --profile tei-l4</c>.
/// </summary>
internal static class Program
{
    private const string Usage = """
        EngineSimulator: an OpenAI-compatible model server (embeddings, rerank, completions) with a cost model.

          [--port 8080] [--address 127.0.0.1] [--mode batching|serial] [--profile tei-l4|free] [--model NAME]
          [--dimensions 384] [--special-tokens 0] [--max-client-batch 32] [--max-batch-tokens 16384]
          [--max-batch-items 256] [--api-key KEY]
        """;

    public static async Task<int> Main(string[] args)
    {
        SimulatorOptions options;
        try
        {
            options = Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        await using var simulator = await EngineSimulator.StartAsync(options).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"engine simulator listening: {simulator.BaseAddress} mode={options.Mode} ideal={simulator.IdealItemsPerSecond:F0} items/s pid={Environment.ProcessId}"));
        await simulator.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    private static SimulatorOptions Parse(string[] args)
    {
        var defaults = new SimulatorOptions();
        var (port, address, mode, cost, model) = (8080, defaults.Address, defaults.Mode, defaults.CostModel, defaults.Model);
        var (dimensions, specialTokens, apiKey) = (defaults.Dimensions, defaults.SpecialTokens, defaults.ApiKey);
        var (maxClientBatch, maxBatchTokens, maxBatchItems) = (defaults.MaxClientBatch, defaults.MaxBatchTokens, defaults.MaxBatchItems);
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--port": port = Int(value); break;
                case "--address": address = IPAddress.Parse(value); break;
                case "--mode": mode = value switch
                {
                    "serial" => SimulatorMode.Serial,
                    "batching" => SimulatorMode.Batching,
                    _ => throw new ArgumentException($"Unknown mode '{value}': expected serial or batching."),
                };
                    break;
                case "--profile": cost = CostModel.FromProfile(value); break;
                case "--model": model = value; break;
                case "--dimensions": dimensions = Int(value); break;
                case "--special-tokens": specialTokens = Int(value); break;
                case "--max-client-batch": maxClientBatch = Int(value); break;
                case "--max-batch-tokens": maxBatchTokens = Int(value); break;
                case "--max-batch-items": maxBatchItems = Int(value); break;
                case "--api-key": apiKey = value; break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        var options = new SimulatorOptions
        {
            Port = port,
            Address = address,
            Mode = mode,
            CostModel = cost,
            Model = model,
            Dimensions = dimensions,
            SpecialTokens = specialTokens,
            MaxClientBatch = maxClientBatch,
            MaxBatchTokens = maxBatchTokens,
            MaxBatchItems = maxBatchItems,
            ApiKey = apiKey,
        };
        options.Validate();
        return options;
    }

    private static int Int(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
