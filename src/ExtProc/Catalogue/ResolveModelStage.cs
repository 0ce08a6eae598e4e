using AiSidecar.Configuration;
using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Rewrite;

namespace AiSidecar.ExtProc.Catalogue;

/// <summary>
/// Resolves the request's model in the catalogue (names, aliases, patterns); a name outside it gets the
/// <c>unknownModels</c> policy. Checks that the model serves the API, and reads the model-type header that converts a
/// completions request to chat.
/// </summary>
internal sealed class ResolveModelStage : IRequestStage
{
    public int Order => StageOrder.Resolve;

    public string Name => "resolve";

    public ValueTask<StageResult> ProcessAsync(Exchange exchange) => ValueTask.FromResult(Resolve(exchange));

    private static StageResult Resolve(Exchange exchange)
    {
        var table = exchange.Table;
        var request = exchange.Request!;
        var type = exchange.Head.Captured.Get(table.ModelTypeHeader);
        if (type is not (null or "" or "chat" or "completions" or "completion"))
        {
            return StageResult.Reject(ApiErrors.InvalidHeader(table.ModelTypeHeader, "chat or completions"));
        }

        exchange.ConvertToChat = type == "chat" && exchange.Api == ApiKind.Completions;
        var catalog = table.Catalog;
        var model = catalog.Find(request.Model);
        if (model is null)
        {
            switch (catalog.UnknownModels)
            {
                case UnknownModelPolicy.Default:
                    model = catalog.Default;
                    break;
                case UnknownModelPolicy.Reject:
                    return StageResult.Reject(request.Model is null ? ApiErrors.MissingField("model") : ApiErrors.ModelNotFound(request.Model));
            }
        }

        exchange.Model = model;
        var api = exchange.ConvertToChat ? ApiKind.ChatCompletions : exchange.Api;
        if (model is not null && !model.Apis.Contains(api))
        {
            return StageResult.Reject(ApiErrors.UnsupportedApi(model.Name, ConfigEnumNames.ToConfigName(api)));
        }

        return exchange.ConvertToChat && CompletionsToChat.Check(request) is { } error ? StageResult.Reject(error) : StageResult.Continue;
    }
}
