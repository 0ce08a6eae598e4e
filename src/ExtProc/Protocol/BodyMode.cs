using System.ComponentModel;
using AiSidecar.Configuration;
using BodySendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>Envoy's body send modes, as the config spells them (<c>BUFFERED_PARTIAL</c>).</summary>
[TypeConverter(typeof(ConfigEnumConverter<BodyMode>))]
internal enum BodyMode
{
    /// <summary><c>NONE</c>: no body is sent.</summary>
    [ConfigName("NONE")]
    None = BodySendMode.None,

    /// <summary><c>STREAMED</c>: each chunk as it arrives.</summary>
    [ConfigName("STREAMED")]
    Streamed = BodySendMode.Streamed,

    /// <summary><c>BUFFERED</c>: the whole body in one message.</summary>
    [ConfigName("BUFFERED")]
    Buffered = BodySendMode.Buffered,

    /// <summary><c>BUFFERED_PARTIAL</c>: up to Envoy's buffer limit.</summary>
    [ConfigName("BUFFERED_PARTIAL")]
    BufferedPartial = BodySendMode.BufferedPartial,

    /// <summary><c>FULL_DUPLEX_STREAMED</c>: streamed both ways (Envoy 1.34+).</summary>
    [ConfigName("FULL_DUPLEX_STREAMED")]
    FullDuplexStreamed = BodySendMode.FullDuplexStreamed,
}
