using System.Globalization;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Telemetry;
using Microsoft.Extensions.Options;

namespace AiSidecar.ExtProc.Responses;

/// <summary>
/// Records what one exchange's response said once it ends: whether usage was seen (and where), the GenAI token usage,
/// operation duration, time to first token and time per output token, and the count check (the model server's
/// <c>prompt_tokens</c> against the server's own exact count; a log line, no prompt text, when they differ), and the
/// usage as Envoy dynamic metadata (<see cref="TokenMetadata"/>) when a namespace is configured.
/// </summary>
internal sealed class UsageRecorder(ExtProcMetrics metrics, TimeProvider time, IOptions<ResponsesOptions> options, ILogger<UsageRecorder> logger)
{
    /// <summary>See <see cref="ResponsesOptions.MaxHeldEventBytes"/>.</summary>
    public int MaxHeldEventBytes { get; } = options.Value.MaxHeldEventBytes;

    /// <summary>True when responses are read for usage (<see cref="ResponsesOptions.ReadUsage"/>).</summary>
    public bool Enabled { get; } = options.Value.ReadUsage;

    /// <summary>See <see cref="ResponsesOptions.DynamicMetadataNamespace"/>; empty: no metadata.</summary>
    public string MetadataNamespace { get; } = options.Value.DynamicMetadataNamespace;

    /// <summary>Now, for the timings.</summary>
    public long Now() => time.GetTimestamp();

    /// <summary>The GenAI operation name of an API.</summary>
    public static string OperationOf(ApiKind api) => api switch
    {
        ApiKind.Completions => "text_completion",
        ApiKind.Embeddings => "embeddings",
        ApiKind.Rerank => "rerank",
        _ => "chat",
    };

    public void Record(Exchange exchange, ResponseUsage usage, long now, bool local)
    {
        var source = usage.Usage is null ? UsageSource.None : local || !usage.Sse ? UsageSource.Json : UsageSource.Sse;
        metrics.UsageResponse(usage.Model, source);
        var labels = new GenAiLabels(OperationOf(usage.Api), usage.Provider, usage.Model, usage.ResponseModel);
        var status = exchange.Response.Status;
        var error = status >= 400 ? status.Value.ToString(CultureInfo.InvariantCulture) : usage.Error ? "_OTHER" : "";
        metrics.GenAiOperation(labels, time.GetElapsedTime(exchange.StartedAt, now), error);
        if (usage.Usage is { } tokens)
        {
            metrics.GenAiTokens(labels, tokens.Input, tokens.Output);
            if (MetadataNamespace.Length > 0)
            {
                exchange.SetMetadata(MetadataNamespace, TokenMetadata.Reported(tokens));
            }
        }

        if (usage.Stream && usage.FirstContentAt != 0)
        {
            metrics.GenAiTimeToFirstToken(labels, time.GetElapsedTime(exchange.StartedAt, usage.FirstContentAt));
            if (usage.Usage?.Output is > 1 and var output && usage.LastContentAt > usage.FirstContentAt)
            {
                metrics.GenAiTimePerOutputToken(labels, time.GetElapsedTime(usage.FirstContentAt, usage.LastContentAt) / (output - 1));
            }
        }

        // The count check: a coalesced answer's usage is shared out from the server's own counts, and rerank's counts the
        // query once per document, so neither says anything about the count.
        if (!local && usage.Api != ApiKind.Rerank && usage.Usage is { } reported && usage.Model.Length > 0
            && exchange.PromptTokens is { } counted && exchange.PromptTokensExact)
        {
            var difference = reported.Input - counted;
            metrics.CountChecked(usage.Model, difference);
            if (difference != 0)
            {
                ResponsesLog.CountDiffers(logger, usage.Model, OperationOf(usage.Api), reported.Input, counted, difference);
            }
        }
    }
}
