namespace AiSidecar.ExtProc.Responses;

/// <summary>A catalogue model's usage settings (<c>catalogue.models[].usage</c>).</summary>
internal sealed class ModelUsageOptions
{
    /// <summary>
    /// Streamed chat and completions requests get <c>stream_options.include_usage: true</c>, so the model server
    /// always ends the stream with its usage; when the client did not ask for it, that usage chunk is removed from what
    /// the client sees. Default false.
    /// </summary>
    public bool InjectIncludeUsage { get; set; }
}
