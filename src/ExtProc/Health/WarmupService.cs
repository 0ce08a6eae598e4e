using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
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
        pipeline.Run(ApiKind.ChatCompletions, """{"messages":[{"role":"user","content":"warm up"}]}"""u8.ToArray());
        readiness.MarkWarm(counter.Name);
        lifetime.ApplicationStopping.Register(readiness.MarkDraining);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Publish()
    {
        var status = readiness.IsReady ? HealthCheckResponse.Types.ServingStatus.Serving : HealthCheckResponse.Types.ServingStatus.NotServing;
        health.SetStatus("", status);
        health.SetStatus(ServiceName, status);
    }
}
