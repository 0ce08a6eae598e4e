using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Admission.Engines;
using AiSidecar.ExtProc.Admission.Gpu;
using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Catalogue;

/// <summary>A pool of model servers: the value of the pool header Istio routes on.</summary>
internal sealed class PoolOptions
{
    /// <summary>The pool's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>APIs the pool's servers expose. Empty (default): all.</summary>
    public List<ApiKind> Apis { get; set; } = [];

    /// <summary>The pool's model servers, whose metrics give its load. Default none: no engine load is known.</summary>
    public PoolEngineOptions? Engine { get; set; }

    /// <summary>The GPUs that serve the pool, as the GPU agents report them. Default none: GPU state is not consulted.</summary>
    public PoolGpuOptions? Gpus { get; set; }

    /// <summary>When the pool counts as saturated. Default: the built-in limits (docs/admission.md).</summary>
    public PoolAdmissionOptions Admission { get; set; } = new();

    /// <summary>Where the server sends the pool's coalesced batches itself. Default none: no model coalesces into this pool (docs/coalescing.md).</summary>
    public Coalescing.PoolUpstreamOptions? Upstream { get; set; }
}
