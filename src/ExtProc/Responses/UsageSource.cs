namespace AiSidecar.ExtProc.Responses;

/// <summary>Where a response's usage was read: a JSON body, an SSE stream, or nowhere (the response had none).</summary>
internal enum UsageSource
{
    None,
    Json,
    Sse,
}
