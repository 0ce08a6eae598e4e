namespace AiSidecar.ExtProc.Rewrite;

/// <summary>The top-level fields a rewrite touches; every other field is copied as raw bytes.</summary>
internal enum RewriteField
{
    Other,
    Model,
    Prompt,
    Echo,
    Suffix,
    Logprobs,
    TopLogprobs,
    Messages,
    StreamOptions,
}
