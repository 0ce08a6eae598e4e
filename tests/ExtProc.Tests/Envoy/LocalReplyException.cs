namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>Envoy stops the filter chain and answers downstream itself.</summary>
internal sealed class LocalReplyException(LocalReply reply, bool downstreamReset = false) : Exception(reply.ToString())
{
    public LocalReply Reply { get; } = reply;

    /// <summary>The response had already started, so Envoy resets the downstream stream instead.</summary>
    public bool DownstreamReset { get; } = downstreamReset;
}
