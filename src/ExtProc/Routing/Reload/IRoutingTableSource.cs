namespace AiSidecar.ExtProc.Routing.Reload;

/// <summary>Hands out the routing table in force; a new one replaces it atomically when the config file changes.</summary>
public interface IRoutingTableSource
{
    /// <summary>The current table. Take it once per request and keep it.</summary>
    RoutingTable Current { get; }
}
