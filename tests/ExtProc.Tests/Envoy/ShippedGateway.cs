using AiSidecar.ExtProc.Configuration;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tests.Infrastructure;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>
/// A shipped data plane with the server in the middle: the connection manager's path normalization, the route matched
/// on the client's headers, the ext_proc filter (unless that route disables it) asking the server's own
/// <see cref="InferenceRoutes"/> whether to inspect, the server's headers (client copies of owned headers removed; an
/// inspected request gets a decision), and the route matched again after <c>clear_route_cache</c>.
/// </summary>
/// <param name="Name">The shipped file(s).</param>
/// <param name="Paths">The connection manager's path options.</param>
/// <param name="Routes">The routes.</param>
/// <param name="DecidedPool">Where a request the server decided with <see cref="Decision"/> must go.</param>
internal sealed record ShippedGateway(string Name, EnvoyPathNormalizer Paths, EnvoyRouteTable Routes, string DecidedPool)
{
    /// <summary>The route the shipped configs use for the model list; the only one that reaches a pool without inspection.</summary>
    public const string ModelsRoute = "models";

    /// <summary>The headers a decision sets (for a prompt of the small range, a chat model's stable version).</summary>
    public static readonly IReadOnlyDictionary<string, string> Decision = new Dictionary<string, string>
    {
        ["x-token-range"] = "small",
        ["x-ai-pool"] = "llm-chat",
        ["x-ai-variant"] = "stable",
    };

    private static readonly IReadOnlyList<string> Owned = ServerConfig.Defaults().Routing.Headers.All;

    /// <summary>Envoy with the server (<c>envoy/envoy.yaml</c>).</summary>
    public static ShippedGateway Envoy()
    {
        var bootstrap = RepoFiles.LoadYaml("envoy/envoy.yaml").Single();
        var manager = bootstrap["static_resources"]!["listeners"]!.AsArray().Single()!["filter_chains"]!.AsArray().Single()!["filters"]!
            .AsArray().Single(f => f!["name"]!.GetValue<string>() == "envoy.filters.network.http_connection_manager")!["typed_config"]!;
        return new("envoy/envoy.yaml", EnvoyPathNormalizer.From(manager), EnvoyRouteTable.FromConnectionManager(manager), "llm-small");
    }

    /// <summary>A client's Istio sidecar: the EnvoyFilter's connection manager patch and one of the VirtualServices.</summary>
    public static ShippedGateway Istio(string virtualService, string decidedPool)
    {
        var filter = RepoFiles.LoadYaml("istio/EnvoyFilter/extproc.yaml").Single(d => d["kind"]!.GetValue<string>() == "EnvoyFilter");
        var manager = filter["spec"]!["configPatches"]!.AsArray()
            .Single(p => p!["applyTo"]!.GetValue<string>() == "NETWORK_FILTER")!["patch"]!["value"]!["typed_config"]!;
        var service = RepoFiles.LoadYaml(virtualService).Single(d => d["kind"]!.GetValue<string>() == "VirtualService");
        return new($"istio/EnvoyFilter/extproc.yaml + {virtualService}", EnvoyPathNormalizer.From(manager), EnvoyRouteTable.FromVirtualService(service), decidedPool);
    }

    /// <summary>What becomes of one request.</summary>
    public GatewayOutcome Send(string method, string path, bool hasBody, IReadOnlyDictionary<string, string>? clientHeaders = null)
    {
        if (Paths.Normalize(path) is not { } normalized)
        {
            return new("400", Inspected: false, null);
        }

        var headers = new Dictionary<string, string>(clientHeaders ?? new Dictionary<string, string>());
        var route = Routes.Match(method, normalized, headers);
        var inspected = false;
        if (route is { ExtProcDisabled: false })
        {
            inspected = InferenceRoutes.TryMatch(method, normalized, hasBody, out _);
            foreach (var name in Owned)
            {
                headers.Remove(name);
            }

            if (inspected && !hasBody)
            {
                return new("400", Inspected: true, null);
            }

            if (inspected)
            {
                foreach (var (name, value) in Decision)
                {
                    headers[name] = value;
                }
            }

            route = Routes.Match(method, normalized, headers);
        }

        return route switch
        {
            null => new("404", inspected, null),
            { DirectStatus: { } status } => new(status.ToString(System.Globalization.CultureInfo.InvariantCulture), inspected, route.Name),
            { Name: ModelsRoute } => new("models", inspected, route.Name),
            _ => new(route.Destination == DecidedPool ? "pool" : $"pool {route.Destination}", inspected, route.Name),
        };
    }

    public override string ToString() => Name;
}

/// <summary>
/// The answer: <c>pool</c> (the model pool the server's decision names), <c>models</c> (the model list route), or the
/// status Envoy or the server answered with.
/// </summary>
internal sealed record GatewayOutcome(string Result, bool Inspected, string? Route);
