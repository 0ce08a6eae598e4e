using System.ComponentModel;
using AiSidecar.Configuration;

namespace AiSidecar.ExtProc.Routing;

/// <summary>Where a request without a stickiness key goes (<c>routing.stickiness.noKey</c>).</summary>
[TypeConverter(typeof(ConfigEnumConverter<NoKeyRule>))]
internal enum NoKeyRule
{
    /// <summary>To the model's first non-canary version with weight.</summary>
    [ConfigName("primary")]
    Primary,

    /// <summary>By the hash of Envoy's <c>x-request-id</c>: weighted, not sticky.</summary>
    [ConfigName("requestId")]
    RequestId,
}
