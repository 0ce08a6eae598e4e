namespace AiSidecar.ExtProc.Routing.Registry;

/// <summary>A pool of model servers: the value of the pool header Istio routes on.</summary>
public sealed class PoolOptions
{
    /// <summary>The pool's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>APIs the pool's servers expose (same names as <see cref="ModelOptions.Apis"/>). Empty (default): all.</summary>
    public List<string> Apis { get; set; } = [];
}
