using System.Diagnostics;
using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Telemetry;
using AiSidecar.ExtProc.Tokenization;

namespace AiSidecar.ExtProc.Pipeline;

/// <summary>One request's path, read straight through: inspect the body, count its tokens, decide its pool.</summary>
internal sealed class InferencePipeline(
    IRequestInspector inspector,
    ITokenCounter counter,
    ITokenRangeRouter router) : IInferencePipeline
{
    public PipelineOutcome Run(ApiKind kind, ReadOnlyMemory<byte> body)
    {
        using var activity = ExtProcTelemetry.Source.StartActivity("extproc.decide");
        activity?.SetTag("ai.api", kind.ToString());

        InferenceRequest request;
        try
        {
            request = inspector.Inspect(kind, body);
        }
        catch (InspectionException ex)
        {
            return Reject(ex.Error, activity);
        }

        if (!router.IsServed(request.Model))
        {
            return Reject(request.Model is null ? ApiErrors.MissingField("model") : ApiErrors.ModelNotFound(request.Model), activity);
        }

        int tokens;
        try
        {
            tokens = counter.CountPrompt(request);
        }
        catch (TokenizerUnavailableException)
        {
            return Reject(ApiErrors.TokenizerUnavailable(), activity);
        }

        var decision = router.Decide(request, tokens);

        activity?.SetTag("ai.model", decision.Model);
        activity?.SetTag("ai.prompt_tokens", tokens);
        activity?.SetTag("ai.token_range", decision.TokenRange);
        activity?.SetTag("ai.pool", decision.Pool);
        return PipelineOutcome.Route(decision);
    }

    private static PipelineOutcome Reject(ApiError error, Activity? activity)
    {
        activity?.SetStatus(ActivityStatusCode.Error, error.Kind);
        return PipelineOutcome.Reject(error);
    }
}
