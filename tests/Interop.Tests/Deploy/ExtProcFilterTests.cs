using System.Text.Json;

namespace AiSidecar.Interop.Tests.Deploy;

/// <summary>Every ext_proc filter in the repo is configured the way the server expects to be called.</summary>
public sealed class ExtProcFilterTests
{
    private const string ExtProc = "envoy.filters.http.ext_proc";

    public static TheoryData<string> Configs => new("envoy/envoy.yaml", "istio/EnvoyFilter/extproc.yaml", "examples/ratelimit/envoy.yaml");

    [Theory]
    [MemberData(nameof(Configs))]
    public async Task ExtProcFilter_Settings_MatchTheServerContract(string relativePath)
    {
        var filters = (await YamlFiles.LoadAsync(relativePath)).SelectMany(d => JsonSearch.Filters(d, ExtProc)).ToList();

        Assert.NotEmpty(filters);
        foreach (var config in filters.Select(f => f.GetProperty("typed_config")))
        {
            var mode = config.GetProperty("processing_mode");
            Assert.Equal("SEND", mode.Str("request_header_mode"));
            Assert.Equal("BUFFERED", mode.Str("request_body_mode"));
            Assert.Equal("SEND", mode.Str("response_header_mode"));
            Assert.Equal("NONE", mode.Str("response_body_mode"));
            Assert.Equal("SKIP", mode.Str("request_trailer_mode"));
            Assert.Equal("SKIP", mode.Str("response_trailer_mode"));
            Assert.Equal("true", config.Str("allow_mode_override"));
            Assert.Equal("false", config.Str("failure_mode_allow"));
            Assert.Equal("1s", config.Str("message_timeout"));
            Assert.False(string.IsNullOrEmpty(config.Str("grpc_service", "envoy_grpc", "authority")), "authority must be set");
        }
    }

    [Fact]
    public async Task HttpFilters_EnvoyBootstrap_ExtProcRightBeforeRouter()
    {
        var bootstrap = (await YamlFiles.LoadAsync("envoy/envoy.yaml")).Single();

        var chains = JsonSearch.Objects(bootstrap).Where(o => o.TryGetProperty("http_filters", out _)).ToList();

        Assert.NotEmpty(chains);
        foreach (var names in chains.Select(c => c.GetProperty("http_filters").EnumerateArray().Select(f => f.Str("name")).ToList()))
        {
            Assert.Equal("envoy.filters.http.router", names[^1]);
            Assert.Equal(names.Count - 2, names.IndexOf(ExtProc));
        }
    }

    [Fact]
    public async Task EnvoyFilter_ConnectionManagerPatch_NormalizesPathsOnTheFiltersListener()
    {
        var patches = (await YamlFiles.LoadKindAsync("istio/EnvoyFilter/extproc.yaml", "EnvoyFilter")).GetProperty("spec").GetProperty("configPatches").EnumerateArray().ToList();

        var filter = patches.Single(p => p.Str("applyTo") == "HTTP_FILTER");
        var manager = patches.Single(p => p.Str("applyTo") == "NETWORK_FILTER");

        Assert.Equal(("SIDECAR_OUTBOUND", "MERGE"), (manager.Str("match", "context"), manager.Str("patch", "operation")));
        Assert.Equal(filter.Str("match", "listener", "portNumber"), manager.Str("match", "listener", "portNumber"));
        Assert.Equal("envoy.filters.network.http_connection_manager", manager.Str("match", "listener", "filterChain", "filter", "name"));
        AssertNormalizesPaths(manager.GetProperty("patch").GetProperty("value").GetProperty("typed_config"));
    }

    [Fact]
    public async Task ConnectionManager_EnvoyBootstrap_NormalizesPaths()
    {
        var bootstrap = (await YamlFiles.LoadAsync("envoy/envoy.yaml")).Single();

        var managers = JsonSearch.Objects(bootstrap).Where(o => o.TryGetProperty("route_config", out _)).ToList();

        Assert.NotEmpty(managers);
        Assert.All(managers, AssertNormalizesPaths);
    }

    [Fact]
    public async Task EnvoyFilter_HttpFilterPatch_InsertsBeforeRouterOutbound()
    {
        var filter = await YamlFiles.LoadKindAsync("istio/EnvoyFilter/extproc.yaml", "EnvoyFilter");

        var patch = filter.GetProperty("spec").GetProperty("configPatches").EnumerateArray()
            .Single(p => p.Str("applyTo") == "HTTP_FILTER");

        Assert.Equal("SIDECAR_OUTBOUND", patch.Str("match", "context"));
        Assert.Equal("envoy.filters.http.router", patch.Str("match", "listener", "filterChain", "filter", "subFilter", "name"));
        Assert.Equal("INSERT_BEFORE", patch.Str("patch", "operation"));
        Assert.Equal(ExtProc, patch.Str("patch", "value", "name"));
    }

    /// <summary>The path options the route tables rely on (only exact, normalized inference paths reach a pool).</summary>
    private static void AssertNormalizesPaths(JsonElement manager)
    {
        Assert.Equal("true", manager.Str("normalize_path"));
        Assert.Equal("true", manager.Str("merge_slashes"));
        Assert.Equal("REJECT_REQUEST", manager.Str("path_with_escaped_slashes_action"));
    }
}
