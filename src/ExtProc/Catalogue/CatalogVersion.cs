using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Catalogue;

/// <summary>A compiled model version: where it runs, under which name and tokenizer, and which buckets <c>[Start, End)</c> it takes.</summary>
internal sealed record CatalogVersion(
    string Name,
    string Pool,
    string ServedModel,
    string Variant,
    bool Canary,
    decimal Weight,
    int BucketStart,
    int BucketEnd,
    TokenizerHandle Tokenizer);
