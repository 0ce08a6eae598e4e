using Envoy.Service.ExtProc.V3;
using Case = Envoy.Service.ExtProc.V3.ProcessingResponse.ResponseOneofCase;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

internal sealed partial class DirectionRunner
{
    private bool _timerOverridden;
    private bool _trailersAnswered;
    private bool _awaitingHeaders;

    /// <summary>override_message_timeout: honoured once per state, within [1 ms, max_message_timeout].</summary>
    private void OverrideTimer(TimeSpan timeout)
    {
        var max = context.Config.MaxMessageTimeout;
        if (max <= TimeSpan.Zero || timeout < TimeSpan.FromMilliseconds(1) || timeout > max ||
            _timerDeadline is null || _timerOverridden)
        {
            return;
        }

        _timerOverridden = true;
        _timerDeadline = Now + (long)(timeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
    }

    /// <summary>mode_override: only with allow_mode_override, on a headers answer, and never with FULL_DUPLEX or send-without-waiting.</summary>
    private void ApplyModeOverride(ProcessingResponse response)
    {
        var config = context.Config;
        if (response.ModeOverride is not { } requested || !config.AllowModeOverride || !_awaitingHeaders ||
            config.SendBodyWithoutWaitingForHeaderResponse ||
            config.RequestBodyMode == BodySendMode.FullDuplexStreamed ||
            config.ResponseBodyMode == BodySendMode.FullDuplexStreamed)
        {
            return;
        }

        // DEFAULT keeps the configured header and trailer modes (1.34+); body modes are taken literally.
        var mode = config.ToProcessingMode();
        mode.RequestHeaderMode = Pick(requested.RequestHeaderMode, mode.RequestHeaderMode);
        mode.ResponseHeaderMode = Pick(requested.ResponseHeaderMode, mode.ResponseHeaderMode);
        mode.RequestTrailerMode = Pick(requested.RequestTrailerMode, mode.RequestTrailerMode);
        mode.ResponseTrailerMode = Pick(requested.ResponseTrailerMode, mode.ResponseTrailerMode);
        mode.RequestBodyMode = requested.RequestBodyMode;
        mode.ResponseBodyMode = requested.ResponseBodyMode;
        context.Mode = mode;
    }

    private static HeaderSendMode Pick(HeaderSendMode requested, HeaderSendMode configured) =>
        requested == HeaderSendMode.Default ? configured : requested;

    /// <summary>
    /// Only namespaces listed in receiving_namespaces are applied; the rest are dropped silently. A namespace's fields
    /// are merged into what the stream already holds (StreamInfo's setDynamicMetadata merges), a field set again replaced.
    /// </summary>
    private void RecordDynamicMetadata(ProcessingResponse response)
    {
        if (response.DynamicMetadata is null || response.ResponseCase is Case.None or Case.StreamedImmediateResponse)
        {
            return;
        }

        foreach (var (name, value) in response.DynamicMetadata.Fields)
        {
            if (context.Config.ReceivingNamespaces.Contains(name))
            {
                var fields = value.StructValue ?? new();
                if (context.DynamicMetadata.TryGetValue(name, out var held))
                {
                    held.MergeFrom(fields);
                }
                else
                {
                    context.DynamicMetadata[name] = fields.Clone();
                }
            }
        }
    }
}
