using System.Text.Json.Nodes;
using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Protocol;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Routing.Reload;

namespace AiSidecar.ExtProc.Commands;

/// <summary>
/// Runs one request through the server's own decision code (route match, header capture, pipeline, mutation) and
/// reports everything Envoy would be told, as JSON.
/// </summary>
internal static class RouteEvaluator
{
    public static JsonObject Evaluate(IServiceProvider services, RouteRequest request)
    {
        var table = services.GetRequiredService<IRoutingTableSource>().Current;
        var report = new JsonObject { ["method"] = request.Method, ["requestPath"] = request.Path };
        var ownedCopies = table.OwnedHeaders.Where(h => request.Headers.Any(r => r.Key == h)).ToList();
        if (!InferenceRoutes.TryMatch(request.Method, request.Path, out var kind))
        {
            report["decision"] = "passthrough";
            report["status"] = 200;
            report["headersRemoved"] = new JsonArray([.. ownedCopies.Select(h => JsonValue.Create(h))]);
            return report;
        }

        var captured = new RequestHeaderValues(table.CapturedHeaders
            .Select(name => request.Headers.FirstOrDefault(h => h.Key == name))
            .Where(h => h.Key is not null));
        var outcome = services.GetRequiredService<IInferencePipeline>().Run(new RequestContext(kind, request.Path, captured, table), request.Body);
        if (outcome.Error is { } error)
        {
            return Rejected(report, error);
        }

        var decision = outcome.Decision!;
        report["decision"] = "routed";
        report["status"] = 200;
        report["model"] = decision.Model;
        report["requestedModel"] = decision.RequestedModel;
        report["version"] = decision.Version;
        report["variant"] = decision.Variant;
        report["selection"] = decision.Selection;
        report["bucket"] = decision.Bucket;
        report["pool"] = decision.Pool;
        report["tokenRange"] = decision.TokenRange;
        report["promptTokens"] = decision.PromptTokens;
        report["servedModel"] = decision.ServedModel;
        report["path"] = decision.RewrittenPath ?? request.Path;
        var mutation = DecisionMutation.Build(outcome, table.Headers, replaceBody: true, restampLength: true).HeaderMutation;
        report["headersSet"] = new JsonObject(mutation.SetHeaders.Select(h =>
            KeyValuePair.Create(h.Header.Key, (JsonNode?)JsonValue.Create(h.Header.RawValue.ToStringUtf8()))));
        report["headersRemoved"] = new JsonArray([.. ownedCopies.Union(mutation.RemoveHeaders).Select(h => JsonValue.Create(h))]);
        report["bodyRewritten"] = outcome.ReplacementBody is not null;
        if (outcome.ReplacementBody is { } body)
        {
            report["body"] = JsonNode.Parse(body.Span);
        }

        return report;
    }

    private static JsonObject Rejected(JsonObject report, ApiError error)
    {
        report["decision"] = "rejected";
        report["status"] = error.Status;
        report["error"] = error.Code ?? error.Kind;
        report["response"] = JsonNode.Parse(error.ToJsonBytes());
        return report;
    }
}
