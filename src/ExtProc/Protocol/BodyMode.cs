using BodySendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>Envoy's body send modes, as the config spells them (<c>BUFFERED_PARTIAL</c>).</summary>
internal enum BodyMode
{
    /// <summary><c>NONE</c>: no body is sent.</summary>
    None = BodySendMode.None,

    /// <summary><c>STREAMED</c>: each chunk as it arrives.</summary>
    Streamed = BodySendMode.Streamed,

    /// <summary><c>BUFFERED</c>: the whole body in one message.</summary>
    Buffered = BodySendMode.Buffered,

    /// <summary><c>BUFFERED_PARTIAL</c>: up to Envoy's buffer limit.</summary>
    BufferedPartial = BodySendMode.BufferedPartial,

    /// <summary><c>FULL_DUPLEX_STREAMED</c>: streamed both ways (Envoy 1.34+).</summary>
    FullDuplexStreamed = BodySendMode.FullDuplexStreamed,
}
