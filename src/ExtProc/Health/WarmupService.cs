using System.Text.Json;
using System.Text.Json.Nodes;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing.Reload;
using AiSidecar.ExtProc.Tokenization;
using Grpc.Health.V1;
using Grpc.HealthCheck;

namespace AiSidecar.ExtProc.Health;

/// <summary>
/// Loads the tokenizers and runs one synthetic request through the pipeline before the first real one (the first
/// request otherwise pays JIT and first-use costs close to Envoy's 200 ms message timeout), and keeps readiness, <c>/readyz</c> and the gRPC health service in
/// step: SERVING once warm, NOT_SERVING as soon as shutdown begins so Envoy and Kubernetes stop sending new work
/// while open streams drain.
/// </summary>
internal sealed class WarmupService(
    ITokenCounter counter,
    ITokenizerRegistry tokenizers,
    IInferencePipeline pipeline,
    IRoutingTableSource tables,
    ReadinessState readiness,
    HealthServiceImpl health,
    IHostApplicationLifetime lifetime) : IHostedService
{
    public const string ServiceName = "envoy.service.ext_proc.v3.ExternalProcessor";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        readiness.Changed += Publish;
        Publish();
        tokenizers.WarmUp();
        counter.CountPrompt(new InferenceRequest { Kind = ApiKind.Completions, Texts = ["warm up"] });
        pipeline.Run(ApiKind.ChatCompletions, WarmupBody(tables.Current.Registry?.Models is [var first, ..] ? first.Name : null));
        readiness.MarkWarm(counter.Name);
        lifetime.ApplicationStopping.Register(readiness.MarkDraining);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A chat body for the registry's first model (so the warm-up takes the registry path), or for no model.</summary>
    internal static byte[] WarmupBody(string? model)
    {
        var body = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "warm up" }) };
        if (model is not null)
        {
            body["model"] = model;
        }

        return JsonSerializer.SerializeToUtf8Bytes(body);
    }

    private void Publish()
    {
        var status = readiness.IsReady ? HealthCheckResponse.Types.ServingStatus.Serving : HealthCheckResponse.Types.ServingStatus.NotServing;
        health.SetStatus("", status);
        health.SetStatus(ServiceName, status);
    }
}
