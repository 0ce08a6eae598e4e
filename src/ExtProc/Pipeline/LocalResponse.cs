using AiSidecar.ExtProc.Errors;

namespace AiSidecar.ExtProc.Pipeline;

/// <summary>
/// An answer the server gives in Envoy's place (an ImmediateResponse): any status, headers and body. Errors are one
/// kind of it: <see cref="FromError"/> renders an OpenAI-style JSON error with its status.
/// </summary>
/// <param name="Status">The HTTP status (an explicit one: a missing status means 200 to Envoy).</param>
/// <param name="Kind">Short machine-readable kind: the metric label and Envoy's response details.</param>
/// <param name="Body">The response body.</param>
/// <param name="Headers">Response headers; <c>content-type</c> belongs here (Envoy sets text/plain otherwise).</param>
internal sealed record LocalResponse(int Status, string Kind, ReadOnlyMemory<byte> Body, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    private static readonly KeyValuePair<string, string>[] JsonHeaders = [new("content-type", "application/json")];

    /// <summary>The error this response renders, when it is one.</summary>
    public ApiError? Error { get; init; }

    /// <summary>An OpenAI-style JSON error: <c>{"error":{"message","type","param","code"}}</c> with the error's status (and extra headers).</summary>
    public static LocalResponse FromError(ApiError error, params KeyValuePair<string, string>[] headers) =>
        new(error.Status, error.Kind, error.ToJsonBytes(), headers.Length == 0 ? JsonHeaders : [.. JsonHeaders, .. headers]) { Error = error };

    /// <summary>503 <see cref="ApiErrors.Overloaded"/> with <c>retry-after</c>: the server sheds work it has no memory for.</summary>
    public static LocalResponse Overloaded(int retryAfterSeconds) =>
        FromError(ApiErrors.Overloaded(), new KeyValuePair<string, string>("retry-after", retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A JSON answer (a cached completion, a batch slice) with extra headers.</summary>
    public static LocalResponse Json(int status, string kind, ReadOnlyMemory<byte> body, params KeyValuePair<string, string>[] headers) =>
        new(status, kind, body, [.. JsonHeaders, .. headers]);
}
