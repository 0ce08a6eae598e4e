using System.ComponentModel;

namespace AiSidecar.Configuration.Tests.Samples;

[TypeConverter(typeof(ConfigEnumConverter<EncodingName>))]
public enum EncodingName
{
    [ConfigName("o200k_base")]
    O200kBase,

    [ConfigName("cl100k_base")]
    Cl100kBase,
}
