using System.ComponentModel;
using AiSidecar.Configuration;

namespace AiSidecar.ExtProc.Catalogue;

/// <summary>What a request for a model outside the catalogue gets (<c>catalogue.unknownModels</c>).</summary>
[TypeConverter(typeof(ConfigEnumConverter<UnknownModelPolicy>))]
internal enum UnknownModelPolicy
{
    /// <summary>Counted with the default tokenizer and routed by token range.</summary>
    [ConfigName("route")]
    Route,

    /// <summary>404 <c>model_not_found</c> (400 when the request names no model).</summary>
    [ConfigName("reject")]
    Reject,

    /// <summary>Treated as a request for <c>catalogue.defaultModel</c>.</summary>
    [ConfigName("default")]
    Default,
}
