using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using Google.Protobuf.WellKnownTypes;

namespace AiSidecar.ExtProc.Responses;

/// <summary>
/// The token counts sent to Envoy as dynamic metadata under <c>responses.dynamicMetadataNamespace</c>, for its rate
/// limit filter: with the decision, what is known before the request runs; with the reply where the response body
/// ends, the usage the model server reported. Envoy merges both into the namespace, so by the stream's end
/// <c>prompt_tokens</c> is the model server's count.
/// </summary>
internal static class TokenMetadata
{
    /// <summary>
    /// The catalogue model (empty outside the catalogue, as budgets key it), the pool, the prompt's tokens and whether
    /// that count is exact, and the completion tokens the request may use (<c>max_tokens</c>; null when it sets none).
    /// </summary>
    public static Struct Decided(Exchange exchange, RoutingDecision decision) => new()
    {
        Fields =
        {
            ["model"] = Value.ForString(exchange.Model?.Name ?? ""),
            ["pool"] = Value.ForString(decision.Pool),
            ["prompt_tokens"] = Value.ForNumber(decision.PromptTokens),
            ["prompt_tokens_exact"] = Value.ForBool(decision.PromptTokensExact),
            ["max_tokens"] = exchange.MaxCompletionTokens is { } max ? Value.ForNumber(max) : Value.ForNull(),
        },
    };

    /// <summary>What the model server reported: prompt, completion (0 when it reported none, as embeddings) and their total.</summary>
    public static Struct Reported(TokenUsage usage) => new()
    {
        Fields =
        {
            ["prompt_tokens"] = Value.ForNumber(usage.Input),
            ["completion_tokens"] = Value.ForNumber(usage.Output ?? 0),
            ["total_tokens"] = Value.ForNumber(usage.Input + (usage.Output ?? 0)),
        },
    };
}
