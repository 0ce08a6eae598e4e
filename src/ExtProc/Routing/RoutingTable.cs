using AiSidecar.ExtProc.Admission.Priority;
using AiSidecar.ExtProc.Catalogue;

namespace AiSidecar.ExtProc.Routing;

/// <summary>
/// One immutable, compiled version of the reloadable config (the <c>routing</c> and <c>catalogue</c> sections):
/// header names, stickiness, the model catalogue and its token ranges. A request takes the current table once, when
/// its headers arrive, and keeps it to the end.
/// </summary>
internal sealed class RoutingTable
{
    /// <param name="routing">The routing section.</param>
    /// <param name="catalog">The compiled catalogue.</param>
    /// <param name="generation">1 at start, one more per reload.</param>
    /// <param name="priority">The priority classes (read at start: every table carries the start's); the built-in ones when null.</param>
    /// <param name="startOnly">What the sections read at start need of the request head; nothing when null.</param>
    public RoutingTable(RoutingOptions routing, ModelCatalog catalog, int generation, PriorityResolver? priority = null, HeadCapture? startOnly = null)
    {
        StartOnly = startOnly ?? HeadCapture.None;
        Generation = generation;
        Headers = routing.Headers;
        OwnedHeaders = [.. routing.Headers.All];
        ModelTypeHeader = routing.ModelTypeHeader;
        ExperimentHeader = routing.ExperimentHeader;
        Stickiness = new StickyKeys(routing.Stickiness);
        Catalog = catalog;
        Priority = priority ?? PriorityResolver.Defaults;
        CapturedHeaders = [.. new[] { ModelTypeHeader, ExperimentHeader }.OfType<string>().Concat(Stickiness.Headers).Concat(Priority.CapturedHeaders)
            .Concat(StartOnly.Headers).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>1 for the config the server started with, then one more per successful reload.</summary>
    public int Generation { get; }

    /// <summary>The names of the headers the server sets.</summary>
    public RoutingHeaderNames Headers { get; }

    public IReadOnlyList<string> OwnedHeaders { get; }

    /// <summary>The request headers decisions read (model type, experiment, stickiness keys, priority), captured at request_headers.</summary>
    public IReadOnlyList<string> CapturedHeaders { get; }

    /// <summary>Request header that marks a <c>/v1/completions</c> request for a chat model.</summary>
    public string ModelTypeHeader { get; }

    /// <summary>Request header whose value pins an allow-listed experiment's version.</summary>
    public string ExperimentHeader { get; }

    public StickyKeys Stickiness { get; }

    /// <summary>What the sections read at start need of the request head (the tenant header, API-key hashes, headers); kept across reloads.</summary>
    public HeadCapture StartOnly { get; }

    /// <summary>The header naming the tenant: batches never mix its values, budgets and cache entries are kept per value; null when unset.</summary>
    public string? TenantHeader => StartOnly.TenantHeader;

    /// <summary>True when the request head keeps the API key's hash: the priority classes map keys, or budgets or the cache need it.</summary>
    public bool HashesApiKeys => StartOnly.HashApiKeys || Priority.HashesApiKeys;

    /// <summary>How a request's priority class is found (<c>admission.priority</c>).</summary>
    public PriorityResolver Priority { get; }

    /// <summary>The compiled model catalogue.</summary>
    public ModelCatalog Catalog { get; }
}
