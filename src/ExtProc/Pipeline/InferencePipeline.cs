using System.Diagnostics;
using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Routing.Reload;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Pipeline;

/// <summary>
/// One request's path, read straight through: inspect the body, resolve the model (registry), pick the version,
/// rewrite the body, count its tokens, decide its pool.
/// </summary>
internal sealed partial class InferencePipeline(
    IRequestInspector inspector,
    ITokenCounter counter,
    IRoutingTableSource tables) : IInferencePipeline
{
    public PipelineOutcome Run(ApiKind kind, ReadOnlyMemory<byte> body) =>
        Run(new RequestContext(kind, null, RequestHeaderValues.Empty, tables.Current), body);

    public PipelineOutcome Run(RequestContext context, ReadOnlyMemory<byte> body)
    {
        using var activity = ExtProcTelemetry.Source.StartActivity("extproc.decide");
        activity?.SetTag("ai.api", context.Kind.ToString());
        var outcome = context.Table.Registry is { } registry
            ? RunRegistry(registry, context, body)
            : RunRanges(context, body);
        if (outcome.Decision is { } decision)
        {
            activity?.SetTag("ai.model", decision.Model);
            activity?.SetTag("ai.prompt_tokens", decision.PromptTokens);
            activity?.SetTag("ai.token_range", decision.TokenRange);
            activity?.SetTag("ai.pool", decision.Pool);
            activity?.SetTag("ai.version", decision.Version);
            activity?.SetTag("ai.variant", decision.Variant);
        }
        else
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome.Error!.Kind);
        }

        return outcome;
    }

    /// <summary>No registry: the served-model list and token ranges only.</summary>
    private PipelineOutcome RunRanges(RequestContext context, ReadOnlyMemory<byte> body)
    {
        if (!TryInspect(context.Kind, body, out var request, out var error))
        {
            return PipelineOutcome.Reject(error);
        }

        var ranges = context.Table.Ranges;
        if (!ranges.IsServed(request.Model))
        {
            return PipelineOutcome.Reject(request.Model is null ? ApiErrors.MissingField("model") : ApiErrors.ModelNotFound(request.Model));
        }

        return TryCount(request, out var tokens, out error)
            ? PipelineOutcome.Route(ranges.Decide(request, tokens) with { RequestedModel = request.Model })
            : PipelineOutcome.Reject(error);
    }

    private bool TryInspect(ApiKind kind, ReadOnlyMemory<byte> body, out InferenceRequest request, out ApiError error)
    {
        try
        {
            request = inspector.Inspect(kind, body);
            error = null!;
            return true;
        }
        catch (InspectionException ex)
        {
            request = null!;
            error = ex.Error;
            return false;
        }
    }

    private bool TryCount(InferenceRequest request, out int tokens, out ApiError error)
    {
        try
        {
            tokens = counter.CountPrompt(request);
            error = null!;
            return true;
        }
        catch (TokenizerUnavailableException)
        {
            tokens = 0;
            error = ApiErrors.TokenizerUnavailable();
            return false;
        }
    }
}
