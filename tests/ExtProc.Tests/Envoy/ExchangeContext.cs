using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Google.Protobuf.WellKnownTypes;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>Filter-instance state shared by the request and response directions of one exchange.</summary>
internal sealed class ExchangeContext(EnvoyFilterConfig config, ExtProcStream stream, HttpHeaderList requestHeaders)
{
    public EnvoyFilterConfig Config { get; } = config;

    public ExtProcStream Stream { get; } = stream;

    /// <summary>The effective processing mode; a permitted <c>mode_override</c> replaces it.</summary>
    public ProcessingMode Mode { get; set; } = config.ToProcessingMode();

    public MutationChecker Checker { get; } = new(config.AllowAllRouting, config.AllowEnvoyHeaders);

    /// <summary>The request headers as the filter first saw them (attributes are evaluated against them).</summary>
    public HttpHeaderList RequestHeaders { get; } = requestHeaders;

    /// <summary>Envoy's <c>processing_complete_</c>: the server is no longer consulted for this exchange.</summary>
    public bool ProcessingComplete { get; set; }

    public bool ProtocolConfigSent { get; set; }

    /// <summary>True once a FULL_DUPLEX_STREAMED body has flowed, which turns failure_mode_allow off.</summary>
    public bool DuplexBodyFlowed { get; set; }

    public Dictionary<string, Struct> DynamicMetadata { get; } = [];

    public bool FailureModeAllow => Config.FailureModeAllow && !DuplexBodyFlowed;
}
