using System.ComponentModel.DataAnnotations;

namespace AiSidecar.ExtProc.Redis;

/// <summary>
/// Options of the <c>redis</c> section, read at start: the Redis the replicas share (token budgets,
/// docs/cache-and-budgets.md). Off while <see cref="Endpoints"/> is empty.
/// </summary>
internal sealed class RedisOptions
{
    /// <summary>Config section name.</summary>
    public const string SectionName = "redis";

    /// <summary>Redis servers as <c>host:port</c>; empty: no Redis. Default none.</summary>
    public List<string> Endpoints { get; set; } = [];

    /// <summary>A file holding the password (a mounted Secret); empty: none. Read once, at start. Default none.</summary>
    public string PasswordFile { get; set; } = "";

    /// <summary>The database number. Default 0.</summary>
    [Range(0, 15)]
    public int Database { get; set; }

    /// <summary>How long one connection attempt may take; the server reconnects in the background. Default 100 ms.</summary>
    [Range(1, 60_000)]
    public int ConnectTimeoutMs { get; set; } = 100;

    /// <summary>
    /// How long a request waits for one Redis call: past it the call counts as failed (the feature's failure policy
    /// decides). Default 5 ms: Redis answers a script in well under a millisecond on the same network.
    /// </summary>
    [Range(1, 10_000)]
    public int OperationTimeoutMs { get; set; } = 5;

    /// <summary>Put before every key, so several deployments can share one Redis. Default <c>aisidecar:</c>.</summary>
    public string KeyPrefix { get; set; } = "aisidecar:";
}
