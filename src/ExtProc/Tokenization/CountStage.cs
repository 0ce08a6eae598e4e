using AiSidecar.ExtProc.Errors;
using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Tokenization;

/// <summary>
/// Counts the prompt tokens the chosen server will read, with the version's tokenizer, else the model's, else the
/// default: <see cref="Exchange.PromptTokens"/>, or 503 when that tokenizer failed and the config refuses fallbacks.
/// </summary>
internal sealed class CountStage : IRequestStage
{
    public int Order => StageOrder.Count;

    public string Name => "count";

    public ValueTask<StageResult> ProcessAsync(Exchange exchange)
    {
        var tokenizer = exchange.Choice?.Version.Tokenizer ?? exchange.Model?.Tokenizer ?? exchange.Table.Catalog.DefaultTokenizer;
        try
        {
            exchange.PromptTokens = tokenizer.Resolve().Count(exchange.UpstreamRequest ?? exchange.Request!);
            return ValueTask.FromResult(StageResult.Continue);
        }
        catch (TokenizerUnavailableException)
        {
            return ValueTask.FromResult(StageResult.Reject(ApiErrors.TokenizerUnavailable()));
        }
    }
}
