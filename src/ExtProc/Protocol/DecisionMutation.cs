using System.Globalization;
using AiSidecar.ExtProc.Admission.Priority;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Telemetry;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>Turns an exchange's decision into the header (and body) mutation Envoy applies.</summary>
internal static class DecisionMutation
{
    /// <summary>
    /// Sets the decision headers, overwriting any client copies, with <c>clear_route_cache</c> so Envoy re-matches
    /// (Envoy honours it only beside a header mutation, on the request path); and, when the exchange is traced, its
    /// <c>traceparent</c> (with its <c>tracestate</c>, or none), so that the model server's span joins the trace.
    /// </summary>
    /// <param name="exchange">The exchange whose stages reached a decision.</param>
    /// <param name="replaceBody">True when this reply may carry a replaced body (BUFFERED, BUFFERED_PARTIAL body replies).</param>
    /// <param name="restampLength">
    /// True in BUFFERED mode when the request has a <c>content-length</c>: Envoy keeps it and answers 500 when it
    /// disagrees with a replaced body. In the other modes Envoy removes the header itself.
    /// </param>
    public static CommonResponse Build(Exchange exchange, bool replaceBody, bool restampLength)
    {
        var decision = exchange.Decision!;
        var names = exchange.Table.Headers;
        var mutation = new HeaderMutation();
        SetOrRemove(mutation, names.Model, decision.Model);
        mutation.SetHeaders.Add(EnvoyHeaders.Overwrite(names.PromptTokens, decision.PromptTokens.ToString(CultureInfo.InvariantCulture)));
        SetOrRemove(mutation, names.PromptTokensExact, decision.PromptTokensExact ? null : "false");
        mutation.SetHeaders.Add(EnvoyHeaders.Overwrite(names.TokenRange, decision.TokenRange));
        mutation.SetHeaders.Add(EnvoyHeaders.Overwrite(names.Pool, decision.Pool));
        SetOrRemove(mutation, names.MediaParts, decision.MediaParts > 0 ? decision.MediaParts.ToString(CultureInfo.InvariantCulture) : null);
        SetOrRemove(mutation, names.Version, decision.Version);
        SetOrRemove(mutation, names.Variant, decision.Variant);
        mutation.SetHeaders.Add(EnvoyHeaders.Overwrite(names.Priority, PriorityLabels.Of(decision.Priority)));
        if (ExtProcTelemetry.TraceParentOf(exchange.Span) is { } traceParent)
        {
            // The upstream's span joins the exchange's trace; a client's tracestate goes only with its own valid traceparent.
            mutation.SetHeaders.Add(EnvoyHeaders.Overwrite(ExtProcTelemetry.TraceParentHeader, traceParent));
            SetOrRemove(mutation, ExtProcTelemetry.TraceStateHeader, exchange.Span!.TraceStateString);
        }

        if (decision.RewrittenPath is { } path)
        {
            // Envoy's default mutation rules let ext_proc set :path; clear_route_cache re-matches on it.
            mutation.SetHeaders.Add(EnvoyHeaders.Overwrite(":path", path));
        }

        var common = new CommonResponse { HeaderMutation = mutation, ClearRouteCache = true };
        if (replaceBody && exchange.ReplacementBody is { } body)
        {
            common.BodyMutation = new BodyMutation { Body = UnsafeByteOperations.UnsafeWrap(body) };
            if (restampLength)
            {
                mutation.SetHeaders.Add(EnvoyHeaders.Overwrite("content-length", body.Length.ToString(CultureInfo.InvariantCulture)));
            }
        }

        return common;
    }

    private static void SetOrRemove(HeaderMutation mutation, string name, string? value)
    {
        if (value is not null)
        {
            mutation.SetHeaders.Add(EnvoyHeaders.Overwrite(name, value));
        }
        else
        {
            mutation.RemoveHeaders.Add(name);
        }
    }
}
