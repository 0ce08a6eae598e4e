using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Routing.Registry;

/// <summary>A compiled registry model: versions laid over the buckets in config order, experiments by value.</summary>
internal sealed class ModelEntry
{
    public ModelEntry(ModelOptions options)
    {
        Name = options.Name;
        Apis = ApiNames.SetOf(options.Apis);
        var versions = new List<VersionEntry>();
        var start = 0;
        foreach (var version in options.Versions)
        {
            var weight = version.Weight ?? 100m;
            var end = start + (int)(weight * 100m);
            versions.Add(new VersionEntry(version.Name, version.Pool, version.ServedModel ?? options.Name, version.EffectiveVariant,
                version.Canary, weight, start, end, version.HealthCheck));
            start = end;
        }

        Versions = [.. versions];
        Primary = Versions.FirstOrDefault(v => !v.Canary && v.Weight > 0) ?? Versions.First(v => v.Weight > 0);
        Experiments = options.Experiments.ToDictionary(e => e.Value, e => Versions.First(v => v.Name == e.Version), StringComparer.Ordinal);
    }

    public string Name { get; }

    public HashSet<ApiKind> Apis { get; }

    public IReadOnlyList<VersionEntry> Versions { get; }

    /// <summary>Where requests without a stickiness key go (with <c>noKey: primary</c>): the first non-canary version with weight.</summary>
    public VersionEntry Primary { get; }

    public Dictionary<string, VersionEntry> Experiments { get; }

    /// <summary>The version whose bucket range holds <paramref name="bucket"/>.</summary>
    public VersionEntry ForBucket(int bucket)
    {
        foreach (var version in Versions)
        {
            if (bucket < version.BucketEnd)
            {
                return version;
            }
        }

        return Versions[^1];
    }
}
