using AiSidecar.ExtProc.Admission.Priority;
using AiSidecar.ExtProc.Catalogue;
using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Routing;

/// <summary>
/// Holds the routing table in a volatile reference: compiled from the config the server started with, replaced with
/// one reference write by each successful reload. A request takes the table once and keeps it to its end.
/// </summary>
internal sealed class RoutingTableSource : IRoutingTableSource
{
    private readonly TokenizerCache _tokenizers;
    private readonly ExtProcMetrics _metrics;
    private volatile RoutingTable _current;

    public RoutingTableSource(LoadedConfig config, TokenizerCache tokenizers, ExtProcMetrics metrics)
    {
        _tokenizers = tokenizers;
        _metrics = metrics;
        _current = Compile(config.Config, tokenizers, generation: 1);
        metrics.ConfigGeneration(1);
    }

    public RoutingTable Current => _current;

    /// <summary>Puts <paramref name="table"/> (compiled as the next generation) in force.</summary>
    public void Replace(RoutingTable table)
    {
        _current = table;
        _tokenizers.Retain(table.Catalog.Tokenizers);
        _metrics.ConfigGeneration(table.Generation);
    }

    /// <summary>
    /// The table <paramref name="config"/> compiles to, its tokenizers taken from <paramref name="tokenizers"/>, with
    /// <paramref name="priority"/>, else the config's <c>admission.priority</c> (read at start: a reload passes the
    /// resolver of the table in force). What the start-only sections need of the request head is read at start too: a
    /// reload passes <paramref name="startOnly"/> from the table in force.
    /// </summary>
    public static RoutingTable Compile(ServerConfig config, TokenizerCache tokenizers, int generation, PriorityResolver? priority = null, HeadCapture? startOnly = null) =>
        new(config.Routing, new ModelCatalog(config.Catalogue, tokenizers), generation, priority ?? new PriorityResolver(config.Admission.Priority),
            startOnly ?? HeadCapture.From(config));
}
