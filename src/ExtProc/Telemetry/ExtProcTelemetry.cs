using AiSidecar.Configuration;
using System.Diagnostics;
using AiSidecar.ExtProc.Inspection;
using AiSidecar.ExtProc.Pipeline;

namespace AiSidecar.ExtProc.Telemetry;

/// <summary>The server's trace source: one span per exchange, from its request headers to the end of its stream.</summary>
internal static class ExtProcTelemetry
{
    /// <summary>The ActivitySource name to subscribe to.</summary>
    public const string SourceName = "AiSidecar.ExtProc";

    /// <summary>The trace source.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts an inference exchange's span; null when nobody listens.</summary>
    public static Activity? StartExchange(ApiKind api)
    {
        var span = Source.StartActivity("extproc.exchange", ActivityKind.Server);
        span?.SetTag("ai.api", ConfigEnumNames.ToConfigName(api));
        return span;
    }

    /// <summary>Puts the decision on the exchange's span.</summary>
    public static void Decided(Exchange exchange)
    {
        if (exchange.Span is not { } span || exchange.Decision is not { } decision)
        {
            return;
        }

        span.SetTag("ai.model", decision.Model);
        span.SetTag("ai.prompt_tokens", decision.PromptTokens);
        span.SetTag("ai.token_range", decision.TokenRange);
        span.SetTag("ai.pool", decision.Pool);
        span.SetTag("ai.version", decision.Version);
        span.SetTag("ai.variant", decision.Variant);
    }
}
