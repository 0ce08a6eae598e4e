namespace AiSidecar.ExtProc.Admission.Engines;

/// <summary>The latest scrape of one model-server endpoint.</summary>
/// <param name="Endpoint">The metrics URL scraped.</param>
/// <param name="Up">Whether the latest scrape answered with a valid page.</param>
/// <param name="ScrapedAt">When the latest scrape ended (the server's <see cref="TimeProvider"/>); null before the first.</param>
/// <param name="Waiting">Requests queued in the engine; null when down or not exported.</param>
/// <param name="Running">Requests running in the engine; null when down or not exported.</param>
/// <param name="KvUsage">KV-cache use, 0 to 1; null when down or not exported.</param>
/// <param name="KvCapacityTokens">KV-cache capacity in tokens; null when down or not exported.</param>
/// <param name="Error">Why the latest scrape failed; null when up.</param>
internal sealed record EndpointLoad(
    string Endpoint, bool Up, DateTimeOffset? ScrapedAt, double? Waiting, double? Running, double? KvUsage, long? KvCapacityTokens, string? Error)
{
    /// <summary>An endpoint not scraped yet.</summary>
    public static EndpointLoad Pending(string endpoint) => new(endpoint, false, null, null, null, null, null, "not scraped yet");

    public static EndpointLoad Success(string endpoint, DateTimeOffset at, EngineReading reading) =>
        new(endpoint, true, at, reading.Waiting, reading.Running, reading.KvUsage, reading.KvCapacityTokens, null);

    public static EndpointLoad Failure(string endpoint, DateTimeOffset at, string error) => new(endpoint, false, at, null, null, null, null, error);
}

/// <summary>The engine load of one pool: its endpoints' latest scrapes, in config order (a Service's in address order).</summary>
/// <param name="Endpoints">One entry per endpoint the pool has now.</param>
/// <param name="Version">The <see cref="EngineLoadSnapshot.Version"/> at which this pool last changed.</param>
internal sealed record PoolEngineState(IReadOnlyList<EndpointLoad> Endpoints, long Version);

/// <summary>Every pool's engine load at one moment; replaced whole on each change.</summary>
/// <param name="Pools">By pool name: only the pools with an <c>engine</c> in the routing table in force.</param>
/// <param name="Version">Increases on every change (a scrape, a pool or endpoint added or removed).</param>
internal sealed record EngineLoadSnapshot(IReadOnlyDictionary<string, PoolEngineState> Pools, long Version)
{
    public static readonly EngineLoadSnapshot Empty = new(new Dictionary<string, PoolEngineState>(StringComparer.Ordinal), 0);

    public PoolEngineState? For(string pool) => Pools.GetValueOrDefault(pool);
}
