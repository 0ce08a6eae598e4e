using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Rewrite;
using AiSidecar.ExtProc.Routing;
using AiSidecar.ExtProc.Routing.Registry;

namespace AiSidecar.ExtProc.Pipeline;

/// <summary>The registry path: model → version → rewritten body → count → range.</summary>
internal sealed partial class InferencePipeline
{
    private PipelineOutcome RunRegistry(ModelRegistry registry, RequestContext context, ReadOnlyMemory<byte> body)
    {
        if (!registry.TryReadModelType(context.Headers, out var toChat, out var headerError))
        {
            return PipelineOutcome.Reject(headerError!);
        }

        toChat &= context.Kind == ApiKind.Completions;
        if (!TryInspect(context.Kind, body, out var request, out var error))
        {
            return PipelineOutcome.Reject(error);
        }

        // Resolve: the name (or alias) to a model, else the default model, else 404.
        if (registry.Find(request.Model) is not { } model)
        {
            return PipelineOutcome.Reject(request.Model is null ? ApiErrors.MissingField("model") : ApiErrors.ModelNotFound(request.Model));
        }

        var api = toChat ? ApiKind.ChatCompletions : context.Kind;
        if (!model.Apis.Contains(api))
        {
            return PipelineOutcome.Reject(ApiErrors.UnsupportedApi(model.Name, ApiNames.Of(api)));
        }

        if (toChat && CompletionsToChat.Check(request) is { } convertError)
        {
            return PipelineOutcome.Reject(convertError);
        }

        // Select: experiment (allow-listed) → sticky bucket → the no-key rule.
        if (!registry.TrySelect(model, context.Headers, request.User, out var choice, out var selectError))
        {
            return PipelineOutcome.Reject(selectError!);
        }

        // Rewrite: the body the version's server reads, counted as that server will read it.
        var version = choice.Version;
        byte[]? rewritten;
        try
        {
            rewritten = toChat ? CompletionsToChat.Convert(body, version.ServedModel)
                : request.Model != version.ServedModel ? ModelFieldRewriter.Rewrite(body, version.ServedModel)
                : null;
        }
        catch (InspectionException ex)
        {
            return PipelineOutcome.Reject(ex.Error);
        }

        var counted = (toChat ? CompletionsToChat.AsChat(request) : request) with { Model = version.ServedModel };
        if (!TryCount(counted, out var tokens, out error))
        {
            return PipelineOutcome.Reject(error);
        }

        var range = context.Table.Ranges.Pick(tokens);
        var decision = new RoutingDecision(model.Name, tokens, range.Name, version.Pool, request.NonTextParts)
        {
            RequestedModel = request.Model,
            Version = version.Name,
            Variant = version.Variant,
            Selection = choice.How,
            Bucket = choice.Bucket,
            ServedModel = version.ServedModel,
            RewrittenPath = toChat ? CompletionsToChat.Path(context.Path) : null,
        };
        // A null array must stay "no replacement", not become an empty body.
        return rewritten is null ? PipelineOutcome.Route(decision) : PipelineOutcome.Route(decision, rewritten);
    }
}
