using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Tests.EnvoyFilter;

namespace AiSidecar.ExtProc.Tests.Inspection;

/// <summary>
/// No bypass: every spelling of a request the issue found passing unchecked, and more, through the server's route
/// classification and through each shipped data plane (envoy/envoy.yaml; an Istio sidecar with the EnvoyFilter and
/// either VirtualService). The invariant: a request reaches a model pool only when the server inspected it; the one
/// exception is the model list (GET /v1/models), which carries no prompt.
/// </summary>
public sealed class InferenceRouteVariantTests
{
    private static readonly Dictionary<string, ShippedGateway> Gateways = new[]
    {
        ShippedGateway.Envoy(),
        ShippedGateway.Istio("istio/VirtualService/token-tiers.yaml", "llm-small.ai-models.svc.cluster.local"),
        ShippedGateway.Istio("istio/VirtualService/model-variants.yaml", "llm-chat.ai-models.svc.cluster.local/stable"),
    }.ToDictionary(g => g.Name);

    /// <summary>
    /// Method, path, whether a body follows, whether the server inspects the request as the client sent it (no proxy in
    /// front), and what every shipped data plane does with it: <c>pool</c> (the pool the server's decision names),
    /// <c>models</c>, or the status Envoy (or the server) answers with.
    /// </summary>
    public static TheoryData<string, string, bool, bool, string> Variants => new()
    {
        // The inference APIs as documented.
        { "POST", "/v1/chat/completions", true, true, "pool" },
        { "POST", "/v1/completions", true, true, "pool" },
        { "POST", "/v1/embeddings", true, true, "pool" },
        { "POST", "/v1/responses", true, true, "pool" },
        { "POST", "/v1/rerank", true, true, "pool" },
        { "POST", "/rerank", true, true, "pool" },

        // Query strings are not part of the path.
        { "POST", "/v1/chat/completions?stream=true", true, true, "pool" },
        { "POST", "/v1/chat/completions?", true, true, "pool" },
        { "POST", "/v1/chat/completions?next=/../../v1/models", true, true, "pool" },

        // Fragments: never sent by clients; Envoy refuses them.
        { "POST", "/v1/chat/completions#x", true, true, "400" },
        { "POST", "/v1/chat/completions%23x", true, false, "404" },

        // Trailing slashes, case, ;parameters: another path for Envoy (404); the server would still inspect them.
        { "POST", "/v1/chat/completions/", true, true, "404" },
        { "POST", "/rerank/", true, true, "404" },
        { "POST", "/V1/CHAT/COMPLETIONS", true, true, "404" },
        { "POST", "/v1/Chat/Completions", true, true, "404" },
        { "POST", "/v1/chat/completions;x=y", true, true, "404" },
        { "POST", "/v1;x=y/chat/completions", true, true, "404" },
        { "POST", "/v1/chat/completions/;x=y", true, true, "404" },

        // Double slashes: merged by Envoy.
        { "POST", "/v1//chat/completions", true, true, "pool" },
        { "POST", "//v1/chat/completions", true, true, "pool" },
        { "POST", "/v1/chat///completions", true, true, "pool" },
        { "POST", "/v1/chat//completions/", true, true, "404" },

        // Escaped slashes: refused by Envoy.
        { "POST", "/v1%2Fchat%2Fcompletions", true, true, "400" },
        { "POST", "/v1%2fchat%2fcompletions", true, true, "400" },
        { "POST", "/v1/chat/completions%2F", true, true, "400" },
        { "POST", "/v1%5Cchat%5Ccompletions", true, true, "400" },
        { "POST", "/v1/chat/completions%252F", true, false, "404" },

        // Backslashes and dot segments: resolved by Envoy.
        { "POST", "/v1\\chat\\completions", true, true, "pool" },
        { "POST", "/v1/./chat/completions", true, true, "pool" },
        { "POST", "/v1/chat/./completions", true, true, "pool" },
        { "POST", "/v1/models/../chat/completions", true, true, "pool" },
        { "POST", "/x/../v1/chat/completions", true, true, "pool" },
        { "POST", "/../v1/chat/completions", true, true, "pool" },
        { "POST", "/v1/chat/%2e%2e/chat/completions", true, true, "pool" },
        { "POST", "/v1/chat/%2E./chat/completions", true, true, "pool" },
        { "POST", "/v1/chat/completions/.", true, true, "404" },
        { "POST", "/v1/chat/completions/x/..", true, true, "404" },
        { "POST", "/v1/chat/completions/..", true, false, "404" },
        { "POST", "/v1/chat/completions.", true, false, "404" },
        { "POST", "/v1/chat/completions%2e", true, false, "404" },

        // Percent-encoded unreserved characters: decoded by Envoy.
        { "POST", "/v1/%63hat/completions", true, true, "pool" },
        { "POST", "/v1/chat/completion%73", true, true, "pool" },
        { "POST", "/%76%31/embeddings", true, true, "pool" },
        { "POST", "/v1/chat/completions%20", true, false, "404" },
        { "POST", "/v1/chat/completions%00", true, false, "400" },
        { "POST", "/v1/chat/completions%3Fx", true, false, "404" },

        // Methods: only POST reaches a pool; another method on an inference path is 405 without asking the server.
        { "post", "/v1/chat/completions", true, true, "405" },
        { "Post", "/v1/chat/completions", true, true, "405" },
        { "GET", "/v1/chat/completions", true, true, "405" },
        { "GET", "/v1/chat/completions", false, false, "405" },
        { "HEAD", "/v1/chat/completions", false, false, "405" },
        { "HEAD", "/v1/embeddings", true, true, "405" },
        { "PUT", "/v1/chat/completions", true, true, "405" },
        { "PUT", "/v1/chat/completions", false, false, "405" },
        { "PATCH", "/v1/completions", true, true, "405" },
        { "DELETE", "/v1/responses", false, false, "405" },
        { "OPTIONS", "/v1/chat/completions", false, false, "405" },

        // A POST without a body: the server answers 400 missing_body.
        { "POST", "/v1/chat/completions", false, true, "400" },

        // The model list: the one route to a pool that carries no prompt.
        { "GET", "/v1/models", false, false, "models" },
        { "GET", "/v1/models?limit=5", false, false, "models" },
        { "GET", "/v1/models/qwen3-8b", false, false, "models" },
        { "GET", "/v1/models", true, false, "models" },
        { "get", "/v1/models", false, false, "404" },
        { "POST", "/v1/models", true, false, "404" },
        { "GET", "/V1/MODELS", false, false, "404" },
        { "GET", "/v1/modelsx", false, false, "404" },

        // Everything else is answered by Envoy.
        { "GET", "/", false, false, "404" },
        { "POST", "/", true, false, "404" },
        { "GET", "/health", false, false, "404" },
        { "GET", "/metrics", false, false, "404" },
        { "POST", "/tokenize", true, false, "404" },
        { "POST", "/v1/chat", true, false, "404" },
        { "POST", "/v2/chat/completions", true, false, "404" },
        { "POST", "/v1/chat/completionsx", true, false, "404" },
        { "POST", "/v1/chat/completions/extra", true, false, "404" },
        { "POST", "/v1/audio/transcriptions", true, false, "404" },
    };

    public static TheoryData<string> GatewayNames => [.. Gateways.Keys];

    [Theory]
    [MemberData(nameof(Variants))]
    public void TryMatch_AsTheClientSentIt_InspectsEverySpellingOfAnInferenceRequest(string method, string path, bool body, bool inspects, string outcome)
    {
        _ = outcome;

        Assert.Equal(inspects, InferenceRoutes.TryMatch(method, path, body, out _));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Send_EveryShippedGateway_AnswersAsExpectedAndReachesAPoolOnlyWhenInspected(string method, string path, bool body, bool inspects, string outcome)
    {
        _ = inspects;
        foreach (var gateway in Gateways.Values)
        {
            var result = gateway.Send(method, path, body);

            Assert.True(outcome == result.Result, $"{gateway}: {method} {path} → {result}, expected {outcome}");
            Assert.True(result.Result != "pool" || result.Inspected, $"{gateway}: {method} {path} reached a pool uninspected");
            Assert.True(result.Result != "models" || method == "GET", $"{gateway}: {method} {path} reached the model list");
        }
    }

    [Theory]
    [MemberData(nameof(GatewayNames))]
    public void Send_ForgedRoutingHeaders_NeverChooseThePool(string name)
    {
        var gateway = Gateways[name];
        var forged = new Dictionary<string, string> { ["x-token-range"] = "large", ["x-ai-pool"] = "llm-embed", ["x-ai-variant"] = "canary" };

        Assert.Equal("pool", gateway.Send("POST", "/v1/chat/completions", true, forged).Result);
        Assert.Equal("404", gateway.Send("POST", "/v1/other", true, forged).Result);
        Assert.Equal("404", gateway.Send("GET", "/anything", true, forged).Result);
        Assert.Equal("models", gateway.Send("GET", "/v1/models", false, forged).Result);
    }

    [Theory]
    [MemberData(nameof(GatewayNames))]
    public void Routes_EveryInferencePath_ReachesAPoolAndNoOtherPathDoes(string name)
    {
        var gateway = Gateways[name];

        foreach (var (path, _) in InferenceRoutes.Paths)
        {
            var result = gateway.Send("POST", path, true);
            Assert.Equal(("pool", true), (result.Result, result.Inspected));
        }

        // Each route to a pool is either the model list or one whose requests the server inspects: no other name exists.
        var pools = gateway.Routes.Routes.Where(r => r.Destination is not null).Select(r => r.Name).Distinct().ToList();
        Assert.Contains(ShippedGateway.ModelsRoute, pools);
        Assert.All(pools.Where(p => p != ShippedGateway.ModelsRoute), p => Assert.True(
            gateway.Routes.Routes.Where(r => r.Name == p).All(r => r.Headers.Any(h => h is { Name: ":method", Exact: "POST" })
                && InferenceRoutes.Paths.Any(ip => r.PathMatches(ip.Key))
                && !r.PathMatches("/v1/models")),
            $"{gateway}: route {p} must require POST on an inference path"));
    }

    [Fact]
    public void Routes_EnvoyAnswersItself_WithoutAskingTheServer()
    {
        var envoy = Gateways["envoy/envoy.yaml"];

        Assert.All(envoy.Routes.Routes.Where(r => r.DirectStatus is 404 or 405), r => Assert.True(r.ExtProcDisabled, r.Name));
        Assert.False(envoy.Routes.Routes.Single(r => r.Name == "unclassified").ExtProcDisabled);
    }

    [Theory]
    [InlineData("/v1/chat/completions", "/v1/chat/completions")]
    [InlineData("/V1//Chat/./completions/", "/V1/Chat/completions")]
    [InlineData("/v1;a=b/chat/completions;c", "/v1/chat/completions")]
    [InlineData("/v1%2Fchat%5Ccompletions", "/v1/chat/completions")]
    [InlineData("/a/b/../../v1/x/%2e%2e/embeddings", "/v1/embeddings")]
    [InlineData("/../..", "/")]
    [InlineData("/v1/chat/completions%252F", "/v1/chat/completions%2F")]
    public void Canonical_Spellings_AreReducedTheWayProxiesAndServersMightReadThem(string path, string canonical)
    {
        Assert.Equal(canonical, InferenceRoutes.Canonical(path));
    }
}
