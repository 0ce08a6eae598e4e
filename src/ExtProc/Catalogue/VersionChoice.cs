namespace AiSidecar.ExtProc.Catalogue;

/// <summary>The version picked for one request, how it was picked, and the bucket when a key was hashed.</summary>
internal readonly record struct VersionChoice(CatalogVersion Version, string How, int? Bucket)
{
    public const string Weighted = "weighted";
    public const string Experiment = "experiment";
    public const string Primary = "primary";
}
