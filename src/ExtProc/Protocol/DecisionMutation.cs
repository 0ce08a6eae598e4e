using System.Globalization;
using AiSidecar.ExtProc.Pipeline;
using AiSidecar.ExtProc.Routing;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;

namespace AiSidecar.ExtProc.Protocol;

/// <summary>Turns a routing decision into the header (and body) mutation Envoy applies.</summary>
internal static class DecisionMutation
{
    /// <summary>
    /// Sets the decision headers, overwriting any client copies, with <c>clear_route_cache</c> so Envoy re-matches
    /// (Envoy honours it only beside a header mutation, on the request path).
    /// </summary>
    /// <param name="outcome">The pipeline's decision.</param>
    /// <param name="names">The header names to write.</param>
    /// <param name="replaceBody">True when this reply may carry a replaced body (BUFFERED, BUFFERED_PARTIAL body replies).</param>
    /// <param name="restampLength">
    /// True in BUFFERED mode when the request has a <c>content-length</c>: Envoy keeps it and answers 500 when it
    /// disagrees with a replaced body. In the other modes Envoy removes the header itself.
    /// </param>
    public static CommonResponse Build(PipelineOutcome outcome, RoutingHeaderNames names, bool replaceBody, bool restampLength)
    {
        var decision = outcome.Decision!;
        var mutation = new HeaderMutation();
        if (decision.Model is { } model)
        {
            mutation.SetHeaders.Add(HeaderValues.Overwrite(names.Model, model));
        }
        else
        {
            mutation.RemoveHeaders.Add(names.Model);
        }

        mutation.SetHeaders.Add(HeaderValues.Overwrite(names.PromptTokens, decision.PromptTokens.ToString(CultureInfo.InvariantCulture)));
        mutation.SetHeaders.Add(HeaderValues.Overwrite(names.TokenRange, decision.TokenRange));
        mutation.SetHeaders.Add(HeaderValues.Overwrite(names.Pool, decision.Pool));
        if (decision.MediaParts > 0)
        {
            mutation.SetHeaders.Add(HeaderValues.Overwrite(names.MediaParts, decision.MediaParts.ToString(CultureInfo.InvariantCulture)));
        }
        else
        {
            mutation.RemoveHeaders.Add(names.MediaParts);
        }

        SetOrRemove(mutation, names.Version, decision.Version);
        SetOrRemove(mutation, names.Variant, decision.Variant);
        if (decision.RewrittenPath is { } path)
        {
            // Envoy's default mutation rules let ext_proc set :path; clear_route_cache re-matches on it.
            mutation.SetHeaders.Add(HeaderValues.Overwrite(":path", path));
        }

        var common = new CommonResponse { HeaderMutation = mutation, ClearRouteCache = true };
        if (replaceBody && outcome.ReplacementBody is { } body)
        {
            common.BodyMutation = new BodyMutation { Body = UnsafeByteOperations.UnsafeWrap(body) };
            if (restampLength)
            {
                mutation.SetHeaders.Add(HeaderValues.Overwrite("content-length", body.Length.ToString(CultureInfo.InvariantCulture)));
            }
        }

        return common;
    }

    private static void SetOrRemove(HeaderMutation mutation, string name, string? value)
    {
        if (value is not null)
        {
            mutation.SetHeaders.Add(HeaderValues.Overwrite(name, value));
        }
        else
        {
            mutation.RemoveHeaders.Add(name);
        }
    }
}
