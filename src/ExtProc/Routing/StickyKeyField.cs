using System.ComponentModel;
using AiSidecar.Configuration;

namespace AiSidecar.ExtProc.Routing;

/// <summary>The request body fields a stickiness key can come from.</summary>
[TypeConverter(typeof(ConfigEnumConverter<StickyKeyField>))]
internal enum StickyKeyField
{
    /// <summary>OpenAI's <c>user</c> field.</summary>
    [ConfigName("user")]
    User,
}
