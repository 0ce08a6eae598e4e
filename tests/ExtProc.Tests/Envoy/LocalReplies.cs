using System.Globalization;
using System.Text;
using Envoy.Service.ExtProc.V3;

namespace AiSidecar.ExtProc.Tests.EnvoyFilter;

/// <summary>Builds local replies the way Envoy's <c>sendImmediateResponse</c> and <c>sendLocalReply</c> do.</summary>
internal static class LocalReplies
{
    public static LocalReply Error(int status, string details) => Build(status, [], details, null, null, null);

    public static LocalReply FromImmediate(ImmediateResponse response, MutationChecker checker)
    {
        // Missing status, Empty (0) or anything under 200 becomes 200 (SRC sendImmediateResponse, isValidHttpStatus).
        var status = response.Status is null ? 200 : (int)response.Status.Code;
        if (status < 200)
        {
            status = 200;
        }

        var reply = Build(status, response.Body.ToByteArray(), response.Details, response.Headers, checker, response.GrpcStatus?.Status);
        return reply with { FromImmediateResponse = true };
    }

    private static LocalReply Build(
        int status, byte[] body, string details, HeaderMutation? mutation, MutationChecker? checker, uint? grpcStatus)
    {
        var headers = new HttpHeaderList();
        if (mutation is not null && checker is not null)
        {
            // Envoy only logs a failed mutation here; whatever was applied before the failure stays.
            _ = HeaderMutationApplier.Apply(mutation, headers, false, checker, false);
        }

        if (body.Length > 0)
        {
            headers.Set("content-length", body.Length.ToString(CultureInfo.InvariantCulture));
            if (!headers.Contains("content-type"))
            {
                headers.Add("content-type", "text/plain");
            }
        }

        headers.Remove(":status");
        return new LocalReply
        {
            Status = status,
            Headers = headers,
            Body = body,
            Details = ReplaceWhitespace(details),
            GrpcStatus = grpcStatus,
        };
    }

    /// <summary>Envoy's <c>StringUtil::replaceAllEmptySpace</c>.</summary>
    public static string ReplaceWhitespace(string details)
    {
        var builder = new StringBuilder(details.Length);
        foreach (var c in details)
        {
            builder.Append(c is ' ' or '\t' or '\f' or '\v' or '\n' or '\r' ? '_' : c);
        }

        return builder.ToString();
    }

    public static string GrpcErrorDetails(Grpc.Core.Status status) =>
        string.Create(CultureInfo.InvariantCulture, $"ext_proc_error_gRPC_error_{(int)status.StatusCode}{{{status.Detail}}}");
}
