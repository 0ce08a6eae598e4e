using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>
/// Envoy's route matching for the subset of the route API the shipped configs use, read from an Envoy bootstrap's
/// route config or from an Istio VirtualService (each of whose match blocks Istio turns into one Envoy route, in
/// order). The first route whose path, method and header conditions all hold wins. A config that uses anything else
/// (query parameter matches, other header matchers, case-insensitive paths…) is refused, so the model never silently
/// drifts from what Envoy would do.
/// </summary>
internal sealed class EnvoyRouteTable(IReadOnlyList<EnvoyRoute> routes)
{
    public IReadOnlyList<EnvoyRoute> Routes => routes;

    /// <summary>The first route matching the request, or null (Envoy answers 404 itself).</summary>
    public EnvoyRoute? Match(string method, string path, IReadOnlyDictionary<string, string> headers) =>
        routes.FirstOrDefault(r => r.Matches(method, path, headers));

    /// <summary>The routes of the bootstrap's one HTTP connection manager with a single catch-all virtual host.</summary>
    public static EnvoyRouteTable FromConnectionManager(JsonNode connectionManager)
    {
        var host = connectionManager["route_config"]!["virtual_hosts"]!.AsArray().Single()!;
        Assert.Equal(["*"], host["domains"]!.AsArray().Select(d => d!.GetValue<string>()));
        return new([.. host["routes"]!.AsArray().Select(r => EnvoyRoute(r!))]);
    }

    /// <summary>The routes of an Istio VirtualService (<c>spec.http</c>), one per match block.</summary>
    public static EnvoyRouteTable FromVirtualService(JsonNode service)
    {
        var routes = new List<EnvoyRoute>();
        foreach (var http in service["spec"]!["http"]!.AsArray())
        {
            Only(http!, "name", "match", "route", "directResponse", "headers");
            var (destination, status) = IstioAction(http!);
            var name = http!["name"]!.GetValue<string>();
            var blocks = http["match"]?.AsArray().Select(m => m!).ToList();
            foreach (var block in blocks ?? [new JsonObject()])
            {
                Only(block, "uri", "method", "headers");
                var path = block["uri"] is { } uri ? IstioUri(uri) : (_ => true);
                var headers = new List<HeaderCondition>();
                if (block["method"] is { } method)
                {
                    headers.Add(new(":method", Exact(method)));
                }

                foreach (var (header, condition) in block["headers"]?.AsObject() ?? new JsonObject())
                {
                    headers.Add(new(header, Exact(condition!)));
                }

                routes.Add(new EnvoyRoute(name, path, headers, destination, status, ExtProcDisabled: false));
            }
        }

        return new(routes);
    }

    private static EnvoyRoute EnvoyRoute(JsonNode route)
    {
        Only(route, "name", "match", "route", "direct_response", "response_headers_to_add", "typed_per_filter_config");
        var match = route["match"]!;
        Only(match, "prefix", "path", "safe_regex", "path_separated_prefix", "headers");
        var headers = match["headers"]?.AsArray().Select(h => HeaderMatcher(h!)).ToList() ?? [];
        var destination = route["route"]?["cluster"]?.GetValue<string>();
        var status = route["direct_response"]?["status"] is { } s ? int.Parse(s.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
        Assert.True(destination is not null ^ status is not null, $"route {route["name"]}: a cluster or a direct response");
        var extProc = route["typed_per_filter_config"]?["envoy.filters.http.ext_proc"];
        return new(route["name"]?.GetValue<string>() ?? "", EnvoyPath(match), headers, destination, status, extProc?["disabled"]?.GetValue<string>() == "true");
    }

    private static Func<string, bool> EnvoyPath(JsonNode match)
    {
        // case_sensitive is left at its default (true): Only() above refuses the key.
        if (match["prefix"] is { } prefix)
        {
            return path => path.StartsWith(prefix.GetValue<string>(), StringComparison.Ordinal);
        }

        if (match["path"] is { } exact)
        {
            return path => WithoutQuery(path) == exact.GetValue<string>();
        }

        if (match["path_separated_prefix"] is { } separated)
        {
            var value = separated.GetValue<string>();
            return path => WithoutQuery(path) is var p && (p == value || p.StartsWith(value + "/", StringComparison.Ordinal));
        }

        Only(match["safe_regex"]!, "regex");
        return FullMatch(match["safe_regex"]!["regex"]!.GetValue<string>());
    }

    private static HeaderCondition HeaderMatcher(JsonNode header)
    {
        Only(header, "name", "string_match");
        return new(header["name"]!.GetValue<string>(), Exact(header["string_match"]!));
    }

    private static Func<string, bool> IstioUri(JsonNode uri)
    {
        Only(uri, "exact", "prefix", "regex");
        if (uri["exact"] is { } exact)
        {
            return path => WithoutQuery(path) == exact.GetValue<string>();
        }

        return uri["prefix"] is { } prefix
            ? path => path.StartsWith(prefix.GetValue<string>(), StringComparison.Ordinal)
            : FullMatch(uri["regex"]!.GetValue<string>());
    }

    private static (string? Destination, int? Status) IstioAction(JsonNode http)
    {
        if (http["directResponse"] is { } direct)
        {
            Assert.Null(http["route"]);
            return (null, int.Parse(direct["status"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        }

        var destination = http["route"]!.AsArray().Single()!["destination"]!;
        var subset = destination["subset"]?.GetValue<string>();
        return (destination["host"]!.GetValue<string>() + (subset is null ? "" : "/" + subset), null);
    }

    private static string Exact(JsonNode condition)
    {
        Only(condition, "exact");
        return condition["exact"]!.GetValue<string>();
    }

    /// <summary>RE2 full match on the path without its query; the shipped patterns use no syntax where .NET differs.</summary>
    private static Func<string, bool> FullMatch(string pattern)
    {
        var regex = new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant);
        return path => regex.IsMatch(WithoutQuery(path));
    }

    private static string WithoutQuery(string path) => path.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? path[..q] : path;

    private static void Only(JsonNode node, params string[] keys)
    {
        var unknown = node.AsObject().Select(p => p.Key).Except(keys).ToList();
        Assert.True(unknown.Count == 0, $"not modelled by {nameof(EnvoyRouteTable)}: {string.Join(", ", unknown)} in {node.ToJsonString()}");
    }
}

/// <summary>One route: its conditions and where it sends the request (a cluster or Istio destination, or a local answer).</summary>
internal sealed record EnvoyRoute(
    string Name,
    Func<string, bool> PathMatches,
    IReadOnlyList<HeaderCondition> Headers,
    string? Destination,
    int? DirectStatus,
    bool ExtProcDisabled)
{
    public bool Matches(string method, string path, IReadOnlyDictionary<string, string> headers) =>
        PathMatches(path)
        && Headers.All(h => (h.Name == ":method" ? method : headers.GetValueOrDefault(h.Name)) == h.Exact);
}

/// <summary>A header condition: the header is present with exactly this value (case-sensitive).</summary>
internal sealed record HeaderCondition(string Name, string Exact);
