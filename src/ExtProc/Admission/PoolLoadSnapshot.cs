using System.Text.Json;
using System.Text.Json.Serialization;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Admission.Gpu;
using AiSidecar.ExtProc.Catalogue;

namespace AiSidecar.ExtProc.Admission;

/// <summary>
/// Pool loads from a snapshot file, for <c>route --load FILE</c>: what admission would decide under that load. The
/// file (JSON or YAML) gives, per pool, its endpoints and GPUs as they were some milliseconds ago:
/// <code>
/// pools:
///   llm-chat:
///     endpoints: [{ up: true, ageMs: 100, waiting: 3, running: 8, kvUsage: 0.7, kvCapacityTokens: 100000 }]
///     gpus: { matched: 8, healthy: 7, unhealthyReasons: [xid_79], ageMs: 300 }
/// </code>
/// Unknown keys are errors. A pool the file does not name has no telemetry (stale).
/// </summary>
internal sealed class PoolLoadSnapshot : IPoolLoadSource
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };

    private readonly Dictionary<string, PoolSamples> _pools;

    private PoolLoadSnapshot(Dictionary<string, PoolSamples> pools) => _pools = pools;

    /// <summary>
    /// Reads the snapshot; <see cref="JsonException"/> (with the path at fault) when it is not one. Ages count back from
    /// <paramref name="time"/>'s now: judge with the same clock (<c>route</c> fixes it for the whole command).
    /// </summary>
    public static PoolLoadSnapshot Parse(string json, TimeProvider time)
    {
        var file = JsonSerializer.Deserialize<File>(json, Json) ?? throw new JsonException("The load snapshot is empty.");
        var now = time.GetUtcNow();
        return new PoolLoadSnapshot(file.Pools.ToDictionary(p => p.Key, p => new PoolSamples(
            p.Value.Endpoints?.Select((e, i) => new EndpointLoad($"{p.Key}[{i}]", e.Up, now - TimeSpan.FromMilliseconds(e.AgeMs), e.Waiting, e.Running, e.KvUsage, e.KvCapacityTokens, null)).ToList(),
            p.Value.Gpus is { } g ? new PoolGpuState(g.Matched, g.Healthy, g.UnhealthyReasons ?? [], now - TimeSpan.FromMilliseconds(g.AgeMs), null, null, false) : null), StringComparer.Ordinal));
    }

    public PoolSamples Read(PoolOptions pool) => _pools.GetValueOrDefault(pool.Name, PoolSamples.Unknown);

    internal sealed record File(Dictionary<string, Pool> Pools);

    internal sealed record Pool(List<Endpoint>? Endpoints = null, Gpus? Gpus = null);

    internal sealed record Endpoint(bool Up = true, double AgeMs = 0, double? Waiting = null, double? Running = null, double? KvUsage = null, long? KvCapacityTokens = null);

    internal sealed record Gpus(int Matched, int Healthy, List<string>? UnhealthyReasons = null, double AgeMs = 0);
}
