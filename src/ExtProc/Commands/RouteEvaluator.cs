using System.Text.Json.Nodes;
using AiSidecar.ExtProc.Admission;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Protocol;
using AiSidecar.ExtProc.Routing;

namespace AiSidecar.ExtProc.Commands;

/// <summary>
/// Runs one request through the server's own code (route match, header capture, the stages, the decision mutation)
/// and reports everything Envoy would be told, as JSON.
/// </summary>
internal static class RouteEvaluator
{
    public static async Task<JsonObject> EvaluateAsync(IServiceProvider services, RouteRequest request)
    {
        var table = services.GetRequiredService<IRoutingTableSource>().Current;
        var report = new JsonObject { ["method"] = request.Method, ["requestPath"] = request.Path };
        var head = new RequestHead
        {
            Method = request.Method,
            Path = request.Path,
            ContentLength = request.Body.Length,
            OwnedCopies = [.. table.OwnedHeaders.Where(h => request.Headers.Any(r => r.Key == h))],
            Captured = new CapturedHeaders(table.CapturedHeaders
                .Select(name => request.Headers.FirstOrDefault(h => h.Key == name))
                .Where(h => h.Key is not null)),
        };
        if (!InferenceRoutes.TryMatch(request.Method, request.Path, hasBody: request.Body.Length > 0, out var kind))
        {
            report["decision"] = "passthrough";
            report["status"] = 200;
            report["headersRemoved"] = new JsonArray([.. head.OwnedCopies.Select(h => JsonValue.Create(h))]);
            return report;
        }

        await using var exchange = new Exchange(table, head, services.GetRequiredService<ExchangeServices>(), CancellationToken.None)
        {
            Api = kind,
            Body = request.Body,
        };
        var result = await services.GetRequiredService<ExchangePipeline>().RunRequestAsync(exchange).ConfigureAwait(false);
        if (exchange.Admission is { } admission)
        {
            report["admission"] = Admission(admission);
        }

        if (result.Response is { } response)
        {
            report["decision"] = response.Error is null ? "responded" : "rejected";
            report["status"] = response.Status;
            report["error"] = response.Error is { } error ? error.Code ?? error.Kind : null;
            report["response"] = response.Headers.Any(h => h.Key == "content-type" && h.Value == "application/json")
                ? JsonNode.Parse(response.Body.Span) : System.Text.Encoding.UTF8.GetString(response.Body.Span);
            return report;
        }

        var decision = exchange.Decision!;
        report["decision"] = "routed";
        report["status"] = 200;
        report["model"] = decision.Model;
        report["requestedModel"] = decision.RequestedModel;
        report["version"] = decision.Version;
        report["variant"] = decision.Variant;
        report["selection"] = decision.Selection;
        report["bucket"] = decision.Bucket;
        report["pool"] = decision.Pool;
        report["overflowFrom"] = decision.OverflowFrom;
        report["tokenRange"] = decision.TokenRange;
        report["promptTokens"] = decision.PromptTokens;
        report["servedModel"] = decision.ServedModel;
        report["path"] = decision.RewrittenPath ?? request.Path;
        var mutation = DecisionMutation.Build(exchange, replaceBody: true, restampLength: true).HeaderMutation;
        report["headersSet"] = new JsonObject(mutation.SetHeaders.Select(h =>
            KeyValuePair.Create(h.Header.Key, (JsonNode?)JsonValue.Create(h.Header.RawValue.ToStringUtf8()))));
        report["headersRemoved"] = new JsonArray([.. head.OwnedCopies.Union(mutation.RemoveHeaders).Select(h => JsonValue.Create(h))]);
        report["bodyRewritten"] = exchange.ReplacementBody is not null;
        if (exchange.ReplacementBody is { } body)
        {
            report["body"] = JsonNode.Parse(body.Span);
        }

        if (exchange.TakeMetadata() is { } metadata)
        {
            // With responses.dynamicMetadataNamespace: what the decision's reply tells Envoy beside the headers.
            report["dynamicMetadata"] = JsonNode.Parse(Google.Protobuf.JsonFormatter.Default.Format(metadata));
        }

        return report;
    }

    /// <summary>Admission's decision and its inputs: the request's demand and each pool's load as judged.</summary>
    private static JsonObject Admission(AdmissionOutcome admission) => new()
    {
        ["decision"] = admission.Decision,
        ["reason"] = admission.Reason,
        ["priority"] = admission.Priority.ToString().ToLowerInvariant(),
        ["demandTokens"] = admission.DemandTokens,
        ["demandBytes"] = admission.DemandBytes,
        ["retryAfterSeconds"] = admission.RetryAfter is { } wait ? Math.Ceiling(wait.TotalSeconds) : null,
        ["pools"] = new JsonArray([.. admission.Pools.Select(p => (JsonNode)new JsonObject
        {
            ["pool"] = p.Pool,
            ["fit"] = p.Fit.ToString().ToLowerInvariant(),
            ["reason"] = p.Reason,
            ["load"] = p.Load,
            ["liveEndpoints"] = p.LiveEndpoints,
            ["waitingPerEndpoint"] = p.WaitingPerEndpoint,
            ["runningPerEndpoint"] = p.RunningPerEndpoint,
            ["kvUsage"] = p.KvUsage,
            ["kvUsageWithDemand"] = p.KvUsageWithDemand,
            ["healthyGpus"] = p.HealthyGpus,
            ["gpus"] = p.Gpus,
            ["telemetryAgeMs"] = p.TelemetryAge?.TotalMilliseconds,
        })]),
    };
}
