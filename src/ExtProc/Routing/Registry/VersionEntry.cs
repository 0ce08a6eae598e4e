namespace AiSidecar.ExtProc.Routing.Registry;

/// <summary>A compiled model version: where it runs and which buckets <c>[Start, End)</c> it takes.</summary>
internal sealed record VersionEntry(
    string Name,
    string Pool,
    string ServedModel,
    string Variant,
    bool Canary,
    decimal Weight,
    int BucketStart,
    int BucketEnd,
    HealthCheckOptions HealthCheck);
