using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Coalescing;

/// <summary>
/// Options of the <c>coalescing</c> section, read at start: the bounds on what the server holds for batching, what
/// an upstream failure means for the members, what keeps clients apart, and the upstream circuit breaker. Which
/// models coalesce (<c>catalogue.models[].coalesce</c>) and where their batches go (<c>catalogue.pools[].upstream</c>)
/// reload with the catalogue. docs/coalescing.md.
/// </summary>
internal sealed class CoalescingOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "coalescing";

    /// <summary>Requests held in batches at once, all pools together; beyond it a request passes through uncoalesced. Default 10,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxHeldRequests { get; set; } = 10_000;

    /// <summary>Bytes of the held requests' bodies, all pools together; beyond it a request passes through uncoalesced. Default 256 MiB.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxHeldBytes { get; set; } = 256L << 20;

    /// <summary>A request body larger than this is never coalesced (it gains nothing from a batch). Default 1 MiB.</summary>
    [Range(1024, 64 << 20)]
    public int MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>What the members of a batch get when its upstream call fails or times out. Default <see cref="UpstreamFailurePolicy.Error"/>.</summary>
    public UpstreamFailurePolicy OnUpstreamFailure { get; set; } = UpstreamFailurePolicy.Error;

    /// <summary>
    /// When set, requests with different values of this header never share a batch: a tenant id, or
    /// <c>authorization</c> to keep API keys apart (values are compared by their SHA-256). Default none.
    /// </summary>
    public string TenantHeader { get; set; } = "";

    /// <summary>The circuit breaker of each upstream: while open, requests pass through uncoalesced.</summary>
    public CoalesceBreakerOptions Breaker { get; set; } = new();
}

/// <summary>What the members of a batch get when its upstream call fails.</summary>
internal enum UpstreamFailurePolicy
{
    /// <summary>Each member gets its own OpenAI-style error (502 or 504).</summary>
    Error,

    /// <summary>Members with time left continue to Envoy one by one, as if never held; the others get the error.</summary>
    Passthrough,
}

/// <summary>
/// The upstream circuit breaker (<c>coalescing.breaker</c>, Polly's): it opens when at least <see cref="MinimumThroughput"/>
/// batch calls in <see cref="SamplingSeconds"/> failed at <see cref="FailureRatio"/> or more, and stays open
/// <see cref="BreakSeconds"/>; then one call probes.
/// </summary>
internal sealed class CoalesceBreakerOptions
{
    /// <summary>Failed fraction of the calls sampled that opens the breaker. Default 0.5.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Calls in the sampling window before the ratio counts. Default 5.</summary>
    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = 5;

    /// <summary>The sampling window. Default 30 s.</summary>
    [Range(1, 3600)]
    public int SamplingSeconds { get; set; } = 30;

    /// <summary>How long the breaker stays open. Default 30 s.</summary>
    [Range(1, 3600)]
    public int BreakSeconds { get; set; } = 30;
}
