using System.Text.Json;
using System.Text.Json.Serialization;
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
internal sealed class PoolLoadSnapshot(IReadOnlyDictionary<string, PoolLoadSnapshot.Pool> pools, TimeProvider time) : IPoolLoadSource
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };

    /// <summary>Reads the snapshot; <see cref="JsonException"/> (with the path at fault) when it is not one.</summary>
    public static PoolLoadSnapshot Parse(string json, TimeProvider time)
    {
        var file = JsonSerializer.Deserialize<File>(json, Json) ?? throw new JsonException("The load snapshot is empty.");
        return new PoolLoadSnapshot(file.Pools, time);
    }

    public PoolSamples Read(PoolOptions pool)
    {
        if (!pools.TryGetValue(pool.Name, out var snapshot))
        {
            return PoolSamples.Unknown;
        }

        var now = time.GetUtcNow();
        return new PoolSamples(
            snapshot.Endpoints?.Select(e => new EngineSample(e.Up, now - TimeSpan.FromMilliseconds(e.AgeMs), e.Waiting, e.Running, e.KvUsage, e.KvCapacityTokens)).ToList(),
            snapshot.Gpus is { } g ? new GpuSample(g.Matched, g.Healthy, g.UnhealthyReasons ?? [], now - TimeSpan.FromMilliseconds(g.AgeMs)) : null);
    }

    internal sealed record File(Dictionary<string, Pool> Pools);

    internal sealed record Pool(List<Endpoint>? Endpoints = null, Gpus? Gpus = null);

    internal sealed record Endpoint(bool Up = true, double AgeMs = 0, double? Waiting = null, double? Running = null, double? KvUsage = null, long? KvCapacityTokens = null);

    internal sealed record Gpus(int Matched, int Healthy, List<string>? UnhealthyReasons = null, double AgeMs = 0);
}
