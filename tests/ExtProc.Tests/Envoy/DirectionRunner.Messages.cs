using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

internal sealed partial class DirectionRunner
{
    /// <summary>metadata_context on every message, attributes on the first of this direction, protocol_config on the first of the stream.</summary>
    private ProcessingRequest NewRequest()
    {
        var request = new ProcessingRequest { MetadataContext = new Metadata() };
        var expressions = isRequest ? context.Config.RequestAttributes : context.Config.ResponseAttributes;
        if (!_attributesSent && expressions.Count > 0)
        {
            _attributesSent = true;
            request.Attributes[AttributeEvaluator.FilterName] = AttributeEvaluator.Evaluate(
                expressions, context.RequestHeaders, isRequest ? null : Headers, context.Config);
        }

        if (context.Config.ObservabilityMode)
        {
            request.ObservabilityMode = true;
        }
        else if (context.Config.SendProtocolConfig && !context.ProtocolConfigSent)
        {
            context.ProtocolConfigSent = true;
            request.ProtocolConfig = new ProtocolConfiguration
            {
                RequestBodyMode = context.Mode.RequestBodyMode,
                ResponseBodyMode = context.Mode.ResponseBodyMode,
                SendBodyWithoutWaitingForHeaderResponse = context.Config.SendBodyWithoutWaitingForHeaderResponse,
            };
        }

        return request;
    }

    private bool Forwarded(string name) => !context.Config.DisallowedHeaders.Contains(name);

    private static long Now => System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Observability mode: send without waiting; only STREAMED bodies are sent; every answer is ignored.</summary>
    private async Task ObserveAsync()
    {
        if (SendsHeaders)
        {
            await SendHeadersAsync(NoBody);
        }

        if (BodyMode == BodySendMode.Streamed)
        {
            await SendChunksAsync();
        }

        if (Trailers is not null && SendsTrailers)
        {
            await SendTrailersAsync();
        }
    }
}
