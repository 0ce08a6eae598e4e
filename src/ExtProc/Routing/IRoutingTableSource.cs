namespace AiSidecar.ExtProc.Routing;

/// <summary>Hands out the routing table in force; a reload replaces it atomically.</summary>
internal interface IRoutingTableSource
{
    /// <summary>The current table. Take it once per request and keep it.</summary>
    RoutingTable Current { get; }
}
