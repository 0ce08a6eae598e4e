using AiSidecar.ExtProc.Routing.Registry;

namespace AiSidecar.ExtProc.Routing;

/// <summary>
/// One immutable, compiled version of the <c>routing</c> section: header names, token ranges and the model
/// registry. A request takes the current table once, when its headers arrive, and keeps it to the end.
/// </summary>
public sealed class RoutingTable
{
    private RoutingTable(RoutingOptions options, int generation)
    {
        Generation = generation;
        Headers = options.Headers;
        OwnedHeaders = [.. options.Headers.All];
        Ranges = new TokenRangeRouter(options);
        Registry = ModelRegistry.Compile(options.Registry);
        CapturedHeaders = Registry?.InputHeaders ?? [];
    }

    /// <summary>1 for the config the server started with, then one more per successful reload.</summary>
    public int Generation { get; }

    /// <summary>The names of the headers the server sets.</summary>
    public RoutingHeaderNames Headers { get; }

    internal IReadOnlyList<string> OwnedHeaders { get; }

    /// <summary>The request headers decisions read (experiment, model type, stickiness keys), captured at request_headers.</summary>
    internal IReadOnlyList<string> CapturedHeaders { get; }

    internal TokenRangeRouter Ranges { get; }

    /// <summary>The compiled model registry; null when <c>routing.registry.models</c> is empty.</summary>
    internal ModelRegistry? Registry { get; }

    /// <summary>Compiles options that passed validation.</summary>
    internal static RoutingTable Compile(RoutingOptions options, int generation) => new(options, generation);
}
