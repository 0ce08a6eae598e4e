namespace AiSidecar.ExtProc.Admission.Engines;

/// <summary>A pool's model servers, whose Prometheus metrics give its load (<c>catalogue.pools[].engine</c>).</summary>
internal sealed class PoolEngineOptions
{
    /// <summary>The engine: <c>vllm</c>, <c>sglang</c>, <c>tgi</c> or <c>trtllm</c>.</summary>
    public EngineKind Kind { get; set; }

    /// <summary>Metrics URLs of the endpoints (<c>http://10.0.0.5:8000/metrics</c>). Default none.</summary>
    public List<string> Endpoints { get; set; } = [];

    /// <summary><c>name:port</c> of a headless Service: every address it resolves to is an endpoint, scraped at <see cref="Path"/>. Default none.</summary>
    public string Service { get; set; } = "";

    /// <summary>The metrics path on <see cref="Service"/>'s endpoints. Default <c>/metrics</c>.</summary>
    public string Path { get; set; } = "/metrics";
}
