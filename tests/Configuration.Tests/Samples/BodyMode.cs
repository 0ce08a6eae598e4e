using System.ComponentModel;

namespace AiSidecar.Configuration.Tests.Samples;

[TypeConverter(typeof(ConfigEnumConverter<BodyMode>))]
public enum BodyMode
{
    [ConfigName("NONE")]
    None,

    [ConfigName("BUFFERED")]
    Buffered,

    [ConfigName("BUFFERED_PARTIAL")]
    BufferedPartial,
}
