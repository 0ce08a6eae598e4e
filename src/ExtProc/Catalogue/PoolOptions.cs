using AiSidecar.ExtProc.Inspection;

namespace AiSidecar.ExtProc.Catalogue;

/// <summary>A pool of model servers: the value of the pool header Istio routes on.</summary>
internal sealed class PoolOptions
{
    /// <summary>The pool's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>APIs the pool's servers expose. Empty (default): all.</summary>
    public List<ApiKind> Apis { get; set; } = [];
}
