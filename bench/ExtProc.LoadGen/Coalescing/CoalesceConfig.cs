using System.Globalization;

namespace AiSidecar.ExtProc.LoadGen.Coalescing;

/// <summary>
/// The config the benchmarked server runs on: one pool <c>embed</c> whose upstream is the simulator, and two models on
/// it that differ only in coalescing: <see cref="CoalescedModel"/> (on) and <see cref="DirectModel"/> (off).
/// </summary>
internal static class CoalesceConfig
{
    public const string Pool = "embed";

    public const string CoalescedModel = "bge";

    public const string DirectModel = "bge-direct";

    /// <summary>The engine's limits per request (TEI's defaults), given to the pool's upstream and the simulator alike.</summary>
    public const int MaxInputs = 32;

    public const int MaxTokens = 16_384;

    /// <param name="upstream">The simulator's base address.</param>
    /// <param name="maxInFlight">Batch calls at once: 1 for the serial engine.</param>
    /// <param name="maxWaitMs">The coalescing model's window ceiling.</param>
    /// <param name="heldCap"><c>coalescing.maxHeldRequests</c>.</param>
    /// <param name="heldBytes"><c>coalescing.maxHeldBytes</c>.</param>
    /// <param name="messageTimeoutMs"><c>processing.messageTimeoutMs</c> (Envoy's <c>message_timeout</c>), and the upstream call's timeout.</param>
    public static string Yaml(Uri upstream, int maxInFlight, int maxWaitMs, int heldCap, long heldBytes, int messageTimeoutMs) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
            # Written by ExtProc.LoadGen coalesce (docs/benchmarks.md, "Coalescing (issue 12)").
            server:
              maxConcurrentStreams: 20000
            processing:
              messageTimeoutMs: {{messageTimeoutMs}}
            coalescing:
              maxHeldRequests: {{heldCap}}
              maxHeldBytes: {{heldBytes}}
            catalogue:
              unknownModels: reject
              pools:
                - name: {{Pool}}
                  apis: [embeddings]
                  upstream: { url: "{{upstream}}", maxInFlight: {{maxInFlight}}, timeoutMs: {{messageTimeoutMs}}, maxInputs: {{MaxInputs}}, maxTokens: {{MaxTokens}} }
              models:
                - name: {{CoalescedModel}}
                  apis: [embeddings]
                  tokenizer: { encoding: o200k_base }
                  versions: [{ name: v1, pool: {{Pool}} }]
                  coalesce: { maxWaitMs: {{maxWaitMs}} }
                - name: {{DirectModel}}
                  apis: [embeddings]
                  tokenizer: { encoding: o200k_base }
                  versions: [{ name: v1, pool: {{Pool}} }]
            """);
}
