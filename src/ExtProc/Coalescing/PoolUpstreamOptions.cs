using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Coalescing;

/// <summary>
/// Where the server itself sends a pool's coalesced batches (<c>catalogue.pools[].upstream</c>), and the engine's
/// limits a batch must respect. In Istio the server's own sidecar carries the call.
/// </summary>
internal sealed class PoolUpstreamOptions
{
    /// <summary>The model server's base URL (<c>http://tei.llm.svc.cluster.local:8080</c>); the request's path is appended. Required.</summary>
    public string Url { get; set; } = "";

    /// <summary>Batch calls to the pool at once; while fewer are out, a batch goes at once. 1 for an engine that serves one request at a time; for one that batches inside, enough that its calls are rarely all out (docs/coalescing.md, "Tuning"). Default 8.</summary>
    [Range(1, 1024)]
    public int MaxInFlight { get; set; } = 8;

    /// <summary>Longest batch call; a call is also cut to its members' remaining time. Default 10,000 ms.</summary>
    [Range(10, 600_000)]
    public int TimeoutMs { get; set; } = 10_000;

    /// <summary>Inputs (texts, documents, prompts) in one batch: the engine's per-request limit (TEI: 32). Default 32.</summary>
    [Range(1, 100_000)]
    public int MaxInputs { get; set; } = 32;

    /// <summary>Prompt tokens in one batch: the engine's batch limit (TEI: 16,384). Default 16,384.</summary>
    [Range(1, 100_000_000)]
    public long MaxTokens { get; set; } = 16_384;

    /// <summary>A file whose content is sent as <c>authorization: Bearer …</c> on batch calls (a mounted Secret). Default none.</summary>
    public string BearerTokenFile { get; set; } = "";
}
